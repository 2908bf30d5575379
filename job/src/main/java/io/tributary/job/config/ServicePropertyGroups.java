package io.tributary.job.config;

import com.amazonaws.services.kinesisanalytics.runtime.KinesisAnalyticsRuntime;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Property groups of a Managed Service for Apache Flink application, read with the service's
 * runtime library (which reads the file the service writes, /etc/flink/application_properties.json).
 */
public final class ServicePropertyGroups {
    /** Groups the service itself reserves (e.g. Python's run options); not the job's to validate. */
    static final String RESERVED_PREFIX = "kinesis.analytics.";

    private ServicePropertyGroups() {}

    /** The running application's property groups. */
    public static PropertyGroups read() {
        try {
            return nonEmpty(withoutReserved(KinesisAnalyticsRuntime.getApplicationProperties()), "the application");
        } catch (IOException e) {
            throw new ConfigException(
                    "cannot read the application's runtime properties (" + e.getMessage() + "). " + SERVICE_ONLY, e);
        }
    }

    private static final String SERVICE_ONLY = "'--mode service' works only on Managed Service for Apache Flink;"
            + " elsewhere run with '--mode local --config <property-groups.json>'";

    /** The runtime returns no groups (rather than failing) when its file is missing. */
    private static PropertyGroups nonEmpty(PropertyGroups groups, String where) {
        if (groups.asMap().isEmpty()) {
            throw new ConfigException("no runtime property groups found in " + where + ": set them on the application"
                    + " (see kinesis-analytics/ and docs/CONFIGURATION.md). " + SERVICE_ONLY);
        }
        return groups;
    }

    /** Property groups from a file in the service's format, read the way the service runtime reads it. */
    public static PropertyGroups read(String applicationPropertiesFile) {
        try {
            return nonEmpty(
                    withoutReserved(KinesisAnalyticsRuntime.getApplicationProperties(applicationPropertiesFile)),
                    applicationPropertiesFile);
        } catch (IOException e) {
            throw new ConfigException(
                    "cannot read runtime properties from " + applicationPropertiesFile + ": " + e.getMessage(), e);
        }
    }

    private static PropertyGroups withoutReserved(Map<String, Properties> all) {
        Map<String, Properties> groups = new LinkedHashMap<>();
        all.forEach((id, props) -> {
            if (!id.startsWith(RESERVED_PREFIX)) {
                groups.put(id, props);
            }
        });
        return PropertyGroups.fromProperties(groups);
    }
}
