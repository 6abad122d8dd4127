package io.livecamel.origin;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

import io.livecamel.hls.Session;
import io.livecamel.ingest.StreamingHeaders;
import io.livecamel.settings.StreamingSettings;
import org.apache.camel.Exchange;
import org.apache.camel.Header;

/**
 * The {@code segments} bean of the upload routes: which finished segments go to the origin, under which key, and
 * that they are there. Only segments of a connection whose publisher was let in ever go up (anything a refused
 * publisher might have written never does), each once.
 */
public final class SegmentUploads {

    private final OriginRecords records;
    private final StreamingSettings settings;

    SegmentUploads(OriginRecords records, StreamingSettings settings) {
        this.records = records;
        this.settings = settings;
    }

    /** The session's finished segments on local disk that are not on the origin yet, oldest first. */
    public List<File> pending(@Header(StreamingHeaders.CHANNEL) String channel,
            @Header(StreamingHeaders.SESSION) String session) {
        OriginRecords.SessionRecord record = records.session(channel, session);
        // the uploaded ones (most of the folder) are left out before the sort
        return records.finishedSegments(channel, session,
                name -> !record.uploaded.contains(name) && record.admitted.contains(Session.connectionOf(name)))
                .stream().map(name -> records.folder(channel).resolve(name).toFile()).toList();
    }

    /** True when a finished segment of an admitted connection is on local disk and not yet on the origin. */
    public boolean isPending(@Header(StreamingHeaders.CHANNEL) String channel,
            @Header(Exchange.FILE_NAME) String fileName) {
        OriginRecords.SessionRecord record = records.session(channel, Session.ofSegment(fileName));
        return Files.isRegularFile(records.folder(channel).resolve(fileName))
                && record.admitted.contains(Session.connectionOf(fileName)) && !record.uploaded.contains(fileName);
    }

    /** The object key of a segment, e.g. {@code videos/main/20261123-200512123-k3f9-1-00042.ts}. */
    public String key(@Header(StreamingHeaders.CHANNEL) String channel, @Header(Exchange.FILE_NAME) String fileName) {
        return settings.objectKey(channel, fileName);
    }

    /** The segment is on the origin. */
    public void uploaded(@Header(StreamingHeaders.CHANNEL) String channel,
            @Header(Exchange.FILE_NAME) String fileName) throws IOException {
        long size = records.session(channel, Session.ofSegment(fileName))
                .markUploaded(records.folder(channel), fileName);
        if (size >= 0) {
            records.metrics().segmentUploaded(channel, size);
        }
    }
}
