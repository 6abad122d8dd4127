package io.livecamel.settings;

/**
 * A setting under {@code streaming.} has a value the application cannot run with. The message names the
 * property and the bad value, so it is all a user needs to fix it.
 */
public class InvalidSettingException extends IllegalArgumentException {

    public InvalidSettingException(String property, String value, String problem) {
        super("Invalid setting " + property + "='" + value + "': " + problem);
    }

    public InvalidSettingException(String message) {
        super(message);
    }
}
