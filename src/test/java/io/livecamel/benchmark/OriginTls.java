package io.livecamel.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway certificate for the benchmark's origin on 127.0.0.1, made once with the JDK's keytool under
 * target/bench/origin-tls: the origin's key store, a trust store with the certificate alone for the application's
 * JVM, and the certificate in PEM for node. The password protects nothing worth a secret.
 */
record OriginTls(Path keystore, Path truststore, Path certificate, String password) {

    private static final Path FOLDER = Path.of("target", "bench", "origin-tls").toAbsolutePath();

    static synchronized OriginTls get() throws IOException, InterruptedException {
        OriginTls tls = new OriginTls(FOLDER.resolve("origin.p12"), FOLDER.resolve("trust.p12"),
                FOLDER.resolve("origin.pem"), "benchmark");
        if (!Files.exists(tls.truststore)) {
            Files.createDirectories(FOLDER);
            for (Path file : List.of(tls.keystore, tls.certificate)) {
                Files.deleteIfExists(file);
            }
            tls.keytool("-genkeypair", "-alias", "origin", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-validity", "3650", "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1",
                    "-keystore", tls.keystore.toString(), "-storetype", "PKCS12");
            tls.keytool("-exportcert", "-rfc", "-alias", "origin", "-file", tls.certificate.toString(),
                    "-keystore", tls.keystore.toString());
            tls.keytool("-importcert", "-noprompt", "-alias", "origin", "-file", tls.certificate.toString(),
                    "-keystore", tls.truststore.toString(), "-storetype", "PKCS12");
        }
        return tls;
    }

    /** The options that make a JVM trust the origin (and nothing else: the store holds this certificate alone). */
    String javaOptions() {
        return "-Djavax.net.ssl.trustStore=" + truststore + " -Djavax.net.ssl.trustStorePassword=" + password;
    }

    private void keytool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(arguments));
        command.addAll(List.of("-storepass", password));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool " + arguments[0] + " failed: " + output);
        }
    }
}
