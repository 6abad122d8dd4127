package io.livecamel.ingest;

/**
 * What the cluster tells this node's ingest ({@link ChannelOwnership.Listener}), passed to the channels: a hand-over
 * asked, the leases lost, a session whose node died to take up (its channel made here on demand if this node has
 * no route for it).
 */
final class ClusterNotices implements ChannelOwnership.Listener {

    private final IngestComponent component;

    ClusterNotices(IngestComponent component) {
        this.component = component;
    }

    @Override
    public void handOverAsked(String channel, String toNode) {
        ChannelIngest found = component.channels().get(channel);
        if (found == null) {
            component.getChannelOwnership().release(channel, null);
        } else {
            found.handOver(toNode);
        }
    }

    @Override
    public void leasesLost() {
        component.channels().all().forEach(ChannelIngest::leaseLost);
    }

    @Override
    public void orphaned(String channel, ChannelOwnership.Continuation session) {
        ChannelIngest found = component.onDemand().open(channel);
        if (found == null) {
            component.getChannelOwnership().release(channel, null);
        } else {
            found.adopt(session);
        }
    }
}
