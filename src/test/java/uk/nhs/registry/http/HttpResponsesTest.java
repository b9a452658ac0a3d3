package uk.nhs.registry.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class HttpResponsesTest {

    @Test
    void httpDatesHaveTwoDigitDaysAsIMFFixdateRequires() {
        assertThat(HttpResponses.httpDate(Instant.parse("2026-12-03T09:05:07.891Z")))
                .isEqualTo("Thu, 03 Dec 2026 09:05:07 GMT");
        assertThat(HttpResponses.httpDate(Instant.parse("2027-01-31T23:59:59Z")))
                .isEqualTo("Sun, 31 Jan 2027 23:59:59 GMT");
    }
}
