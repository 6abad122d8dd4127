package io.livecamel.media;

/** The application's side of every ingest server: who may publish under a stream key, and where the media goes. */
@FunctionalInterface
public interface Publishers {

    /**
     * A publisher asks to publish under {@code streamKey} (any {@code ?query} already stripped). Called on a network
     * thread: it must not block. The key is compared in constant time and never logged.
     */
    Admission admit(String streamKey, PublisherLink link);
}
