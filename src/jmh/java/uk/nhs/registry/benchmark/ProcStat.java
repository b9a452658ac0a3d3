package uk.nhs.registry.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time from Linux's /proc: the registry's and the database server's processes, and the registry's threads. */
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

    /** The fields after the command name, which may itself contain spaces: [0] is the state, [1] the parent's id. */
    private static String[] fields(Path stat) throws IOException {
        String line = Files.readString(stat);
        return line.substring(line.lastIndexOf(')') + 2).split(" ");
    }

    private static long ticksToMillis(long ticks) {
        return ticks * 10; // USER_HZ is 100 on Linux
    }
}
