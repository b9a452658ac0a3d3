package uk.nhs.registry.validation;

/**
 * The NHS number check: ten digits, the last a modulus-11 check digit over the first nine
 * (weights 10 down to 2). A remainder that would need check digit 10 means the number was never
 * issued, so it is invalid rather than wrapped.
 */
public final class NhsNumber {

    private NhsNumber() {
    }

    public static boolean isValid(String candidate) {
        if (candidate == null || candidate.length() != 10) {
            return false;
        }
        int sum = 0;
        for (int i = 0; i < 10; i++) {
            char c = candidate.charAt(i);
            // Character.isDigit would let other scripts' digits through; NHS numbers are ASCII.
            if (c < '0' || c > '9') {
                return false;
            }
            if (i < 9) {
                sum += (c - '0') * (10 - i);
            }
        }
        int check = 11 - (sum % 11);
        if (check == 11) {
            check = 0;
        }
        return check != 10 && check == candidate.charAt(9) - '0';
    }
}
