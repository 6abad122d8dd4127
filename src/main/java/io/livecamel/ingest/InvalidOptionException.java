package io.livecamel.ingest;

/**
 * An option of the {@code hls-ingest} component has a value it cannot run with. It names the option and the value,
 * so that an application which sets the option under a name of its own can say which of its settings is wrong.
 */
public class InvalidOptionException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String option;
    private final String value;
    private final String problem;

    public InvalidOptionException(String option, Object value, String problem) {
        super("Invalid option " + option + "='" + value + "' of the " + IngestComponent.SCHEME + " component: "
                + problem);
        this.option = option;
        this.value = String.valueOf(value);
        this.problem = problem;
    }

    /** The option's name, as the component's descriptor has it ({@code hlsTime}). */
    public String option() {
        return option;
    }

    public String value() {
        return value;
    }

    /** What is wrong with the value, without the option's name. */
    public String problem() {
        return problem;
    }

    /** Checks a port option. */
    static void port(String option, int port) {
        if (port < 1 || port > 65535) {
            throw new InvalidOptionException(option, port, "a port is a number from 1 to 65535");
        }
    }

    static void between(String option, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new InvalidOptionException(option, value, "must be between " + min + " and " + max);
        }
    }

    static void between(String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw new InvalidOptionException(option, value, "must be between " + min + " and " + max);
        }
    }
}
