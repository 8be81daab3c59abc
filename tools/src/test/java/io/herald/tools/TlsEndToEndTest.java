package io.herald.tools;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS on the edge with a certificate made by the test: the kuzzle-sdk suite over {@code wss://} and
 * {@code https://} (node trusts the certificate through {@code NODE_EXTRA_CA_CERTS}), MQTT over TLS with Paho, and a
 * plain-text client refused on the secure port.
 */
class TlsEndToEndTest
{
    @TempDir
    File data;

    @Test
    void theSdkSuiteRunsOverWssAndMqttOverTls() throws Exception
    {
        final KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        final KeyPair keys = generator.generateKeyPair();
        final X509Certificate certificate = certificate(keys);
        final File certificateFile = new File(data, "edge.crt");
        final File keyFile = new File(data, "edge.key");
        Files.writeString(certificateFile.toPath(), pem("CERTIFICATE", certificate.getEncoded()));
        Files.writeString(keyFile.toPath(), pem("PRIVATE KEY", keys.getPrivate().getEncoded()));

        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        try (EmbeddedHerald herald = EmbeddedHerald.start(TestConfig.defaults().with(Map.of(
            "edge.tls.certificate", certificateFile.getAbsolutePath(), "edge.tls.key", keyFile.getAbsolutePath())),
            data, KuzzleSdkEndToEndTest.freeUdpPorts(6), 0, errors::add))
        {
            assertTrue(herald.isTls());
            E2eSuite.run("realtime.test.js", Map.of("HERALD_PORT", Integer.toString(herald.port()), "HERALD_SSL", "1",
                "NODE_EXTRA_CA_CERTS", certificateFile.getAbsolutePath()), 90);

            final MqttClient device = new MqttClient("ssl://localhost:" + herald.mqttTlsPort(), "tls-device",
                new MemoryPersistence());
            final MqttConnectOptions options = new MqttConnectOptions();
            options.setSocketFactory(trusting(certificate).getSocketFactory());
            options.setCleanSession(true);
            device.connect(options);
            assertTrue(device.isConnected(), "MQTT over TLS");
            device.disconnect();
            device.close();

            // plain text on the secure port: the handshake fails and nothing is served
            try (Socket plain = new Socket("127.0.0.1", herald.port()))
            {
                plain.setSoTimeout(5_000);
                plain.getOutputStream().write("GET /_now HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
                final String answer = new String(plain.getInputStream().readAllBytes(),
                    StandardCharsets.ISO_8859_1);
                assertTrue(!answer.contains("HTTP/1.1 200"), answer);
            }
        }
        assertEquals(List.of(), errors, "no component may report an error");
    }

    private static X509Certificate certificate(final KeyPair keys) throws Exception
    {
        final X500Name name = new X500Name("CN=localhost");
        final long now = System.currentTimeMillis();
        final JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now),
            new Date(now - 60_000), new Date(now + 86_400_000), name, keys.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[]{
            new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        final X509CertificateHolder holder = builder.build(
            new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate()));
        return (X509Certificate)CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(holder.getEncoded()));
    }

    private static String pem(final String type, final byte[] der)
    {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der) +
            "\n-----END " + type + "-----\n";
    }

    private static SSLContext trusting(final X509Certificate certificate) throws Exception
    {
        final KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("edge", certificate);
        final TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        final SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
