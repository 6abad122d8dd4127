package io.livecamel.media;

import java.util.concurrent.CompletionStage;

/** The application's side of every ingest server: who may publish under a stream key, and where the media goes. */
@FunctionalInterface
public interface Publishers {

    /**
     * A publisher asks to publish ({@code request}: its stream key and the rest). Called on a network thread, which
     * it must never hold up: the decision may take a while (a backend is asked) and completes the stage on any
     * thread. The key is compared in constant time and never logged.
     */
    CompletionStage<Admission> admit(PublishRequest request, PublisherLink link);
}
