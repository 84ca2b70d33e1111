package io.aether.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A blueprint's {@code tenant/name}, as typed on the command line and used in the API path. */
record BlueprintId(String tenant, String name) {

    /** The API path {@code /api/v1/blueprints/{tenant}/{name}}. */
    String path() {
        return "/api/v1/blueprints/" + Urls.segment(tenant) + "/" + Urls.segment(name);
    }

    @Override
    public String toString() {
        return tenant + "/" + name;
    }

    /** Parses {@code TENANT/NAME}; anything else is a usage error. */
    static final class Converter implements ITypeConverter<BlueprintId> {
        @Override
        public BlueprintId convert(String value) {
            int slash = value.indexOf('/');
            if (slash <= 0 || slash == value.length() - 1 || value.indexOf('/', slash + 1) >= 0) {
                throw new TypeConversionException("'" + value + "' is not TENANT/NAME (for example shop/web)");
            }
            return new BlueprintId(value.substring(0, slash), value.substring(slash + 1));
        }
    }
}
