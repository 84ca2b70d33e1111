package io.aether.cli;

/** The exit codes scripts can rely on; docs/cli.md lists them. */
final class Exit {

    static final int OK = 0;
    /** The node answered with an error (a 4xx other than 404 and 409). */
    static final int REJECTED = 1;
    /** The command line was wrong (picocli's own usage code). */
    static final int USAGE = 2;
    static final int NOT_FOUND = 3;
    static final int CONFLICT = 4;
    /** No node of the --url list could be reached, or the node did not answer in time. */
    static final int UNREACHABLE = 5;
    /** The node failed (5xx). */
    static final int SERVER_ERROR = 6;
    /** The node answered, and what it reported failed verification (a broken receipt chain). */
    static final int VERIFICATION_FAILED = 7;

    private Exit() {
    }

    /** The exit code for an HTTP error status. */
    static int forStatus(int status) {
        if (status == 404) {
            return NOT_FOUND;
        }
        if (status == 409) {
            return CONFLICT;
        }
        return status >= 500 ? SERVER_ERROR : REJECTED;
    }
}
