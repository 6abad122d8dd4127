package io.livecamel.hls;

import org.apache.camel.Converter;

/** Camel's type converter from a {@link Playlist} to its text: a route uploads one with {@code convertBodyTo}. */
@Converter(generateLoader = true)
public final class PlaylistConverter {

    private PlaylistConverter() {
    }

    @Converter
    public static String toText(Playlist playlist) {
        return playlist.render();
    }
}
