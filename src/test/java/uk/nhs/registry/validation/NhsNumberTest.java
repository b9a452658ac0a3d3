package uk.nhs.registry.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class NhsNumberTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "9434765919", // weighted sum 299, 299 mod 11 = 2, check 9
        "1234554321", // the seed pages' number: sum 164, mod 11 = 10, check 1
        "1000000060", // sum 22, mod 11 = 0, check 11 which is written 0
        "4010232137"
    })
    void acceptsNumbersWithAValidCheckDigit(String nhsNumber) {
        assertThat(NhsNumber.isValid(nhsNumber)).isTrue();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
        "9434765918", // wrong check digit
        "1234554322",
        "1234567890", // sum 210, mod 11 = 1, check would be 10: never issued
        "1234567891",
        "943476591", // too short
        "94347659190", // too long
        "943 476 5919", // spaced form is for people, not for the identifier
        "943476591X",
        "\u0669\u0664\u0663\u0664\u0667\u0666\u0665\u0669\u0661\u0669" // Arabic-Indic digits of 9434765919
    })
    void rejectsEverythingElse(String candidate) {
        assertThat(NhsNumber.isValid(candidate)).isFalse();
    }
}
