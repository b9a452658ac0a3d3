package uk.nhs.registry.testsupport;

/** Makes valid NHS numbers (modulus 11) so tests need no list of real-looking ones. */
public final class TestNhsNumbers {

    private TestNhsNumbers() {
    }

    /** The n-th valid NHS number of the 999 test range. */
    public static String valid(int n) {
        for (long candidate = 999_000_000L + n * 10L; ; candidate++) {
            String nine = Long.toString(candidate);
            int sum = 0;
            for (int i = 0; i < 9; i++) {
                sum += (nine.charAt(i) - '0') * (10 - i);
            }
            int check = 11 - (sum % 11);
            if (check == 11) {
                check = 0;
            }
            if (check != 10) {
                return nine + check;
            }
        }
    }

    /** A ten-digit number whose check digit is wrong. */
    public static String withBadCheckDigit(int n) {
        String valid = valid(n);
        int last = valid.charAt(9) - '0';
        return valid.substring(0, 9) + ((last + 1) % 10);
    }
}
