package io.livecamel.admission;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.livecamel.ingest.AdmissionException;
import io.livecamel.ingest.IngestOptions;
import io.livecamel.ingest.StreamingHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.Message;

/**
 * The {@code admissionBackend} bean of the admission route: asks an HTTP backend ({@code streaming.admission.url})
 * about a publisher the way nginx-rtmp's {@code on_publish} and {@code on_update} do, so that a backend written for
 * nginx-rtmp works unchanged: a POST of {@code application/x-www-form-urlencoded} fields, signed with HMAC-SHA256
 * when a secret is set. The answer is bounded: {@code timeout} for all of it, {@link #MOST_BYTES} of body.
 */
public final class HttpBackend {

    /** The header that carries the signature: {@code sha256=} and the hex HMAC-SHA256 of the body. */
    public static final String SIGNATURE = "X-Streaming-Signature";
    /** The most of an answer read: past it, the backend is said to answer nonsense. */
    public static final int MOST_BYTES = 64 * 1024;

    private final URI url;
    private final String secret;
    private final Duration timeout;
    private final HttpClient client;

    public HttpBackend(URI url, String secret, Duration timeout) {
        this.url = url;
        this.secret = secret;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * nginx-rtmp's fields for the publisher: {@code app}, {@code flashver}, {@code swfurl}, {@code tcurl},
     * {@code pageurl}, {@code addr}, {@code clientid}, {@code call} ({@code publish} or {@code update}),
     * {@code name}, {@code type}, then the publish URL's query parameters.
     */
    @SuppressWarnings("unchecked")
    public String form(@Header(StreamingHeaders.CALL) String call, @Header(StreamingHeaders.APP) String app,
            @Header(StreamingHeaders.STREAM_KEY) String key, @Header(StreamingHeaders.TC_URL) String tcUrl,
            @Header(StreamingHeaders.REMOTE_ADDRESS) String address, @Header(StreamingHeaders.CLIENT_ID) Long clientId,
            @Header(StreamingHeaders.QUERY) Map<String, String> query) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("app", app);
        fields.put("flashver", "");
        fields.put("swfurl", "");
        fields.put("tcurl", tcUrl == null ? "" : tcUrl);
        fields.put("pageurl", "");
        fields.put("addr", address == null ? "" : address.replaceAll(":\\d+$", "").replaceAll("^\\[|]$", ""));
        fields.put("clientid", clientId == null ? "" : clientId.toString());
        fields.put("call", call);
        fields.put("name", key);
        fields.put("type", "live");
        if (query != null) {
            query.forEach(fields::putIfAbsent);
        }
        StringBuilder body = new StringBuilder();
        fields.forEach((name, value) -> body.append(body.length() == 0 ? "" : "&")
                .append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8)));
        return body.toString();
    }

    /** The signature of a request body ({@code sha256=<hex>}), or null when no secret is set. */
    public String signature(String body) {
        if (secret == null) {
            return null;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    /**
     * POSTs the body to the backend, with the signature header when there is one; the answer replaces the message:
     * {@code CamelHttpResponseCode}, {@code Location}, and the body as text. A backend that cannot be reached, is
     * slower than the timeout or answers more than {@link #MOST_BYTES} gives an {@link AdmissionException}.
     */
    public void post(Exchange exchange) throws InterruptedException {
        Message message = exchange.getMessage();
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(message.getBody(String.class), StandardCharsets.UTF_8));
        String signature = message.getHeader(SIGNATURE, String.class);
        if (signature != null) {
            request.header(SIGNATURE, signature);
        }
        LimitedBody body = new LimitedBody(MOST_BYTES);
        CompletableFuture<HttpResponse<byte[]>> answer = client.sendAsync(request.build(), info -> body);
        HttpResponse<byte[]> response;
        try {
            response = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            body.cancel();
            answer.cancel(true);
            throw new AdmissionException("the admission backend did not answer within " + seconds() + " s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (isTooLong(cause)) {
                throw new AdmissionException("the admission backend answered more than " + MOST_BYTES / 1024
                        + " KiB");
            } else if (cause instanceof HttpConnectTimeoutException || cause instanceof HttpTimeoutException) {
                throw new AdmissionException("the admission backend did not answer within " + seconds() + " s");
            }
            throw new AdmissionException("the admission backend cannot be reached ("
                    + cause.getClass().getSimpleName() + ")");
        }
        message.setBody(new String(response.body(), StandardCharsets.UTF_8));
        message.removeHeaders("*", StreamingHeaders.CALL); // the answer replaces the request
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, response.statusCode());
        response.headers().firstValue("Location").ifPresent(location -> message.setHeader("Location", location));
    }

    private static boolean isTooLong(Throwable problem) {
        for (Throwable cause = problem; cause != null; cause = cause.getCause()) {
            if (cause instanceof LimitedBody.TooLong) {
                return true;
            }
        }
        return false;
    }

    private String seconds() {
        return IngestOptions.seconds(timeout);
    }
}
