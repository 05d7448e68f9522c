package dev.parley.server.config;

/**
 * A setting that Parley cannot use. The message is for the person who wrote the setting: it names the setting
 * (as {@code section.key}, the way {@code parley.yml} spells it), where the value came from when that is not the
 * YAML file, the value, and what is allowed. The command line prints it as it is, with no stack trace, and exits
 * with status 2.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message, null, false, false);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
