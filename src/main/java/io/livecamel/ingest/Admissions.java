package io.livecamel.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.livecamel.media.Admission;
import io.livecamel.media.PublishRequest;
import io.livecamel.media.PublisherLink;
import io.livecamel.media.Publishers;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may publish: each publisher's request goes to the admission route ({@code admission}, an endpoint such as
 * {@code direct:admit-publisher}) on a thread of a pool of its own, never a network thread, within
 * {@code admissionTimeout}; its answer names a channel (made on demand when no route declares it,
 * {@link OnDemandChannels}) or refuses. Without an admission route, the channels' own keys decide
 * ({@link ChannelRegistry#byKey}). Live publishers are asked about again every {@code admissionRecheckInterval}
 * seconds ({@code update}): a refusal ends their session at once ({@code revoked}).
 */
final class Admissions implements Publishers {

    private static final Logger LOG = LoggerFactory.getLogger(Admissions.class);
    /** Publishers decided on at once, at most: past it, more are refused until one is decided. */
    static final int MOST_AT_ONCE = 64;

    private final IngestComponent component;
    private ProducerTemplate template;
    private ExecutorService pool;

    Admissions(IngestComponent component) {
        this.component = component;
    }

    void start(CamelContext context) {
        ThreadPoolProfile profile = new ThreadPoolProfile("ingest-admission");
        profile.setPoolSize(1);
        profile.setMaxPoolSize(MOST_AT_ONCE);
        profile.setMaxQueueSize(0); // a hand-off: a decision never waits behind a slow one
        profile.setKeepAliveTime(60L);
        profile.setRejectedPolicy(ThreadPoolRejectedPolicy.Abort);
        pool = context.getExecutorServiceManager().newThreadPool(this, "ingest-admission", profile);
        template = context.createProducerTemplate();
    }

    void stop(CamelContext context) {
        ServiceHelper.stopService(template);
        if (pool != null) {
            context.getExecutorServiceManager().shutdownNow(pool);
        }
    }

    @Override
    public CompletionStage<Admission> admit(PublishRequest request, PublisherLink link) {
        String route = component.getAdmission();
        if (route == null && component.getChannelOwnership() == null) { // decided at once, on this thread
            return CompletableFuture.completedFuture(byKey(request, link));
        }
        try {
            if (route == null) { // the channel is taken in the cluster first: never on a network thread
                return CompletableFuture.supplyAsync(() -> byKey(request, link), pool);
            }
            // one thread of the pool a publisher: the answer is opened on the thread that asked (a second task
            // each would refuse publishers while others are decided on, the pool full of answers to open)
            CompletableFuture<Message> answered = new CompletableFuture<>();
            pool.execute(() -> {
                try {
                    answered.complete(ask(route, "publish", request, link.address(), null));
                } catch (RuntimeException e) {
                    answered.completeExceptionally(e);
                }
            });
            // only once the pool took the question: a refused one leaves no timer behind
            return answered.orTimeout(component.admissionTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .thenApply(answer -> open(answer, request, link))
                    .exceptionally(problem -> Admission.failed(null, failure(problem)));
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(Admission.failed(null, busy()));
        }
    }

    private Admission byKey(PublishRequest request, PublisherLink link) {
        return component.channels().byKey(request.streamKey())
                .map(channel -> channel.admit(link, request, SessionTerms.NONE))
                .orElseGet(() -> Admission.refused(null, "no channel has this stream key"));
    }

    /** Asks the admission route about a publisher; its answer is the message it leaves. */
    private Message ask(String route, String call, PublishRequest request, String address, ChannelIngest live) {
        Exchange exchange = template.send(route, ask -> {
            Message message = ask.getMessage();
            message.setHeader(StreamingHeaders.CALL, call);
            message.setHeader(StreamingHeaders.PROTOCOL, request.protocol());
            message.setHeader(StreamingHeaders.APP, request.app());
            message.setHeader(StreamingHeaders.STREAM_KEY, request.streamKey());
            message.setHeader(StreamingHeaders.QUERY, request.query());
            message.setHeader(StreamingHeaders.TC_URL, request.tcUrl());
            message.setHeader(StreamingHeaders.CLIENT_ID, request.clientId());
            message.setHeader(StreamingHeaders.REMOTE_ADDRESS, address);
            if (live != null) {
                message.setHeader(StreamingHeaders.CHANNEL, live.name());
                live.session().ifPresent(session -> message.setHeader(StreamingHeaders.SESSION, session));
            }
        });
        if (exchange.getException() != null) {
            throw new CompletionException(exchange.getException());
        }
        return exchange.getMessage();
    }

    /** The route's answer to a publish: the channel it names, checked, made on demand; or its refusal. */
    private Admission open(Message answer, PublishRequest request, PublisherLink link) {
        String refusal = answer.getHeader(StreamingHeaders.REFUSAL, String.class);
        String name = answer.getHeader(StreamingHeaders.CHANNEL, String.class);
        if (refusal != null) {
            return Admission.refused(null, refusal);
        } else if (name == null || name.isEmpty()) {
            return Admission.refused(null, "the admission route named no channel");
        } else if (!Channel.isValidName(name)) {
            return Admission.refused(null, "the admission route named an invalid channel (" + name.length()
                    + " characters; " + Channel.NAME_RULE + ")");
        } else if (MessageDigest.isEqual(name.getBytes(StandardCharsets.UTF_8),
                request.streamKey().getBytes(StandardCharsets.UTF_8))) {
            return Admission.refused(null, "the admission route named the stream key as the channel, and a "
                    + "channel name is public");
        }
        return component.onDemand().admit(name, link, request, SessionTerms.of(answer, name));
    }

    /**
     * Asks again about each live publisher that came through the admission route ({@code update}): a refusal ends
     * its session now; a route that cannot decide leaves it live (one WARN).
     */
    void recheck() {
        String route = component.getAdmission();
        if (route == null) {
            return;
        }
        for (ChannelIngest channel : component.channels().all()) {
            PublisherFeed feed = channel.liveFeed();
            if (feed == null || feed.request() == null) {
                continue;
            }
            try {
                CompletableFuture.supplyAsync(() -> ask(route, "update", feed.request(), feed.link().address(),
                        channel), pool)
                        .orTimeout(component.admissionTimeout().toMillis(), TimeUnit.MILLISECONDS)
                        .whenComplete((answer, problem) -> rechecked(channel, feed, answer, problem));
            } catch (RejectedExecutionException e) {
                LOG.warn("Channel {}: its publisher could not be checked again: {}", channel.name(), busy());
            }
        }
    }

    private void rechecked(ChannelIngest channel, PublisherFeed feed, Message answer, Throwable problem) {
        if (problem != null) {
            LOG.warn("Channel {}: its publisher {} stays live, not checked again: {}", channel.name(),
                    feed.link().address(), failure(problem));
            return;
        }
        String refusal = answer.getHeader(StreamingHeaders.REFUSAL, String.class);
        if (refusal != null) {
            LOG.warn("Channel {}: the publisher {} is no longer allowed ({}); its session ends now",
                    channel.name(), feed.link().address(), refusal);
            channel.endNow(feed, "revoked");
        }
    }

    /** Why nobody decided, in words fit for the log and the publisher. */
    private String failure(Throwable problem) {
        Throwable cause = problem instanceof CompletionException && problem.getCause() != null
                ? problem.getCause() : problem;
        for (Throwable inner = cause; inner != null; inner = inner.getCause()) {
            if (inner instanceof AdmissionException) {
                return inner.getMessage();
            }
        }
        if (cause instanceof TimeoutException) {
            return "the admission route did not answer within " + IngestOptions.seconds(component.admissionTimeout())
                    + " s";
        } else if (cause instanceof RejectedExecutionException) {
            return busy();
        }
        LOG.debug("The admission route failed", cause);
        return "the admission route failed (" + cause.getClass().getSimpleName() + ")";
    }

    private static String busy() {
        return "the server is deciding on " + MOST_AT_ONCE + " publishers already";
    }
}
