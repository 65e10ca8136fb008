package org.taylorism.cli;

import picocli.CommandLine.IVersionProvider;

/** The version written in the jar's manifest at build time. */
final class ManifestVersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = TaylorismCommand.class.getPackage().getImplementationVersion();
        return new String[] {"taylorism " + (version == null ? "(development build)" : version),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
    }
}
