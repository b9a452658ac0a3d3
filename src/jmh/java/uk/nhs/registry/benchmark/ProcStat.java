package uk.nhs.registry.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Figures from Linux's /proc: CPU time of the registry's and the database server's processes and of the registry's
 * threads; the machine's stolen CPU and a disk's busy time.
 */
final class ProcStat {

    private ProcStat() {
    }

    /** utime + stime of the process or thread whose stat file this is. */
    static long cpuMillis(Path stat) throws IOException {
        String[] fields = fields(stat);
        return ticksToMillis(Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
    }

    /**
     * A process's CPU together with its children's: the live ones (summed from their own stat files) and those that
     * have ended and been waited for (its cutime + cstime).
     */
    static long cpuMillisWithChildren(long pid) throws IOException {
        String[] own = fields(Path.of("/proc", Long.toString(pid), "stat"));
        long ticks = Long.parseLong(own[11]) + Long.parseLong(own[12]) + Long.parseLong(own[13]) + Long.parseLong(own[14]);
        long millis = ticksToMillis(ticks);
        try (var processes = Files.list(Path.of("/proc"))) {
            for (Path process : (Iterable<Path>) processes::iterator) {
                if (!process.getFileName().toString().chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String[] fields = fields(process.resolve("stat"));
                    if (Long.parseLong(fields[1]) == pid) { // ppid
                        millis += ticksToMillis(Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
                    }
                } catch (IOException e) {
                    // a process that ended while we listed them
                }
            }
        }
        return millis;
    }

    /** CPU time the host ran other guests while this machine's CPUs wanted to run (all CPUs); -1 if unknown. */
    static long stolenMillis() {
        try {
            String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0); // "cpu  user nice system idle iowait irq softirq steal ..."
            return ticksToMillis(Long.parseLong(cpu.trim().split("\\s+")[8]));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Something read from one thread's folder, {@code /proc/<pid>/task/<tid>}. */
    @FunctionalInterface
    interface ThreadReading {
        void read(Path thread) throws IOException;
    }

    /** Reads each of the process's threads in turn; one that ends while they are listed is skipped. */
    static void forEachThread(long pid, ThreadReading reading) throws IOException {
        try (var threads = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path thread : (Iterable<Path>) threads::iterator) {
                try {
                    reading.read(thread);
                } catch (IOException e) {
                    // a thread that ended while we listed them
                }
            }
        }
    }

    /** The block device holding {@code folder}, as named in /proc/diskstats ("vda"); empty if it is none. */
    static String diskOf(Path folder) {
        try {
            String device = Files.getFileStore(folder).name(); // "/dev/vda" for a disk; "tmpfs", "overlay" otherwise
            return device.startsWith("/dev/") ? device.substring("/dev/".length()) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Milliseconds the disk has had a request in flight (io_ticks); -1 if unknown. */
    static long diskBusyMillis(String disk) {
        try (var lines = Files.lines(Path.of("/proc/diskstats"))) {
            return lines.map(line -> line.trim().split("\\s+"))
                    .filter(fields -> fields.length > 12 && fields[2].equals(disk))
                    .mapToLong(fields -> Long.parseLong(fields[12]))
                    .findFirst().orElse(-1);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The fields after the command name, which may itself contain spaces: [0] is the state, [1] the parent's id. */
    private static String[] fields(Path stat) throws IOException {
        String line = Files.readString(stat);
        return line.substring(line.lastIndexOf(')') + 2).split(" ");
    }

    private static long ticksToMillis(long ticks) {
        return ticks * 10; // USER_HZ is 100 on Linux
    }
}
