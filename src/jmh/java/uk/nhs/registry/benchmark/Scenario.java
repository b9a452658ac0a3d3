package uk.nhs.registry.benchmark;

import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/** One request of a load scenario; true when the registry answered as it should. */
enum Scenario {
    REGISTER {
        @Override
        boolean step(RegistryClient client, Workload w) throws IOException, InterruptedException {
            return w.register(client);
        }
    },
    READ {
        @Override
        boolean step(RegistryClient client, Workload w) throws IOException, InterruptedException {
            return client.read(w.anyRegistered().id());
        }
    },
    SEARCH {
        @Override
        boolean step(RegistryClient client, Workload w) throws IOException, InterruptedException {
            return client.searchByPatient(w.anyPatient());
        }
    },
    /** 70% read or search (half each), 20% register, 10% cancel. */
    MIX {
        @Override
        boolean step(RegistryClient client, Workload w) throws IOException, InterruptedException {
            int dice = ThreadLocalRandom.current().nextInt(100);
            if (dice < 35) {
                return READ.step(client, w);
            }
            if (dice < 70) {
                return SEARCH.step(client, w);
            }
            if (dice < 90) {
                return REGISTER.step(client, w);
            }
            RegistryClient.Registered booked = w.nextToCancel();
            return booked == null ? REGISTER.step(client, w) : client.cancel(booked);
        }
    };

    abstract boolean step(RegistryClient client, Workload w) throws IOException, InterruptedException;

    /**
     * One step where a failure of any kind (refused, broken connection, timeout) counts as an error, not an end.
     * An interrupted step also counts as failed, and leaves the thread's interrupt flag for its driver loop to see.
     */
    boolean attempt(RegistryClient client, Workload w) {
        try {
            return step(client, w);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    /** A scenario as the options name it ({@code register}, {@code mix}, ...). */
    static Scenario named(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }
}
