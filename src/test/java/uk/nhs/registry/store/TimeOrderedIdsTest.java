package uk.nhs.registry.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TimeOrderedIdsTest {

    @Test
    void areVersion7UuidsThatSortByCreationTime() {
        long t = 1_795_000_000_000L;
        UUID earlier = UUID.fromString(TimeOrderedIds.next(t));
        UUID later = UUID.fromString(TimeOrderedIds.next(t + 1));
        assertThat(earlier.version()).isEqualTo(7);
        assertThat(earlier.variant()).isEqualTo(2);
        assertThat(earlier.getMostSignificantBits() >>> 16).isEqualTo(t);
        assertThat(TimeOrderedIds.next(t)).isLessThan(later.toString());
        assertThat(earlier.toString()).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    }

    @Test
    void idsOfTheSameMillisecondStillDiffer() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(TimeOrderedIds.next(1_795_000_000_000L));
        }
        assertThat(ids).hasSize(10_000);
    }
}
