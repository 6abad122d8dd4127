package io.livecamel.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Optional;

import io.livecamel.hls.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many segments a channel may keep on local disk: its live window and a backlog for an origin that has not taken
 * them. Past that, its publisher is cut and new ones are refused until the origin has taken them. The log says so
 * once when that starts (ERROR) and once when it is over (INFO).
 */
final class ChannelRoom {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelRoom.class);

    private final String channel;
    private final IngestComponent component;
    /** Whether the last look found the channel's segments on local disk past what it may keep. */
    private volatile boolean full;

    ChannelRoom(String channel, IngestComponent component) {
        this.channel = channel;
        this.component = component;
    }

    /** Why the channel cannot keep more segments on local disk, or empty. */
    Optional<String> problem() {
        int listSize = component.getHlsListSize();
        int maxBacklog = component.getMaxBacklog();
        long kept = localSegments();
        boolean now = kept >= listSize + maxBacklog;
        boolean before = full;
        full = now;
        if (now && !before) {
            LOG.error("Channel {}: {} segments wait on local disk, the most it may keep (a live window of {} and a "
                    + "backlog of {} for the origin): the origin has not taken them; the publisher is cut and new "
                    + "ones are refused until it has", channel, kept, listSize, maxBacklog);
        } else if (!now && before) {
            LOG.info("Channel {}: the origin has taken the backlog ({} segments on local disk): publishers are let "
                    + "in", channel, kept);
        }
        return now ? Optional.of("channel " + channel + " keeps " + kept + " segments on local disk, the most it "
                + "may (its live window and what the origin has not taken)") : Optional.empty();
    }

    /** The finished segments in the channel's folder. */
    private long localSegments() {
        try (var files = Files.list(component.channelFolder(channel))) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(".ts") && Session.isSegment(name)).count();
        } catch (IOException e) {
            return 0;
        }
    }
}
