package io.livecamel.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The CloudFormation template in {@code deploy/}, read as YAML and checked for what the README promises: nothing
 * here can deploy it, so its structure is what is tested.
 */
class CloudFrontTemplateTest {

    private static Map<String, Object> template;
    private static Map<String, Object> resources;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void read() throws IOException {
        template = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(Path.of("deploy", "cloudfront.yaml")));
        resources = map(template, "Resources");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object from, String... path) {
        Object at = from;
        for (String key : path) {
            at = ((Map<String, Object>) at).get(key);
            if (at == null) {
                throw new AssertionError("no " + String.join(".", path) + " (missing " + key + ")");
            }
        }
        return (Map<String, Object>) at;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object from, String... path) {
        Map<String, Object> parent = map(from, java.util.Arrays.copyOf(path, path.length - 1));
        return (List<Object>) parent.get(path[path.length - 1]);
    }

    private static Map<String, Object> properties(String resource) {
        return map(resources, resource, "Properties");
    }

    @Test
    void itMakesTheBucketTheDistributionItsAccessTheCachePoliciesCorsAndThePublishersPolicy() {
        Map<String, String> types = new java.util.TreeMap<>();
        resources.forEach((name, resource) -> types.put(name, map(resource).get("Type").toString()));
        assertEquals(Map.of(
                "Bucket", "AWS::S3::Bucket",
                "BucketPolicy", "AWS::S3::BucketPolicy",
                "OriginAccessControl", "AWS::CloudFront::OriginAccessControl",
                "PlaylistCachePolicy", "AWS::CloudFront::CachePolicy",
                "SegmentCachePolicy", "AWS::CloudFront::CachePolicy",
                "CorsPolicy", "AWS::CloudFront::ResponseHeadersPolicy",
                "Distribution", "AWS::CloudFront::Distribution",
                "PublisherPolicy", "AWS::IAM::ManagedPolicy"), types);
        assertEquals(Set.of("Bucket", "Region", "DistributionId", "PlaybackBaseUrl", "PublisherPolicyArn"),
                map(template, "Outputs").keySet());
        assertEquals(Map.of("Fn::Sub", "https://${Distribution.DomainName}"),
                map(template, "Outputs", "PlaybackBaseUrl", "Value"));
    }

    @Test
    void theBucketIsPrivateOwnerEnforcedAndExpiresObjectsAfterRetentionDays() {
        Map<String, Object> bucket = properties("Bucket");
        assertEquals(Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true, "IgnorePublicAcls", true,
                "RestrictPublicBuckets", true), map(bucket, "PublicAccessBlockConfiguration"));
        assertEquals(List.of(Map.of("ObjectOwnership", "BucketOwnerEnforced")),
                list(bucket, "OwnershipControls", "Rules"));
        Map<String, Object> rule = map(list(bucket, "LifecycleConfiguration", "Rules").get(0));
        assertEquals("Enabled", rule.get("Status"));
        assertEquals(Map.of("Ref", "RetentionDays"), rule.get("ExpirationInDays"));
        assertEquals(Map.of("Fn::Sub", "${Prefix}/"), rule.get("Prefix"));
        assertEquals(30, map(template, "Parameters", "RetentionDays").get("Default"));
    }

    @Test
    void onlyTheDistributionReadsTheBucketThroughOriginAccessControl() {
        Map<String, Object> origin = map(list(properties("Distribution"), "DistributionConfig", "Origins").get(0));
        assertEquals(Map.of("Fn::GetAtt", List.of("OriginAccessControl", "Id")), origin.get("OriginAccessControlId"));
        assertEquals(Map.of("OriginAccessIdentity", ""), origin.get("S3OriginConfig"), "no legacy OAI");
        assertEquals("sigv4", map(properties("OriginAccessControl"), "OriginAccessControlConfig")
                .get("SigningProtocol"));

        Map<String, Object> statement = map(list(properties("BucketPolicy"), "PolicyDocument", "Statement").get(0));
        assertEquals(Map.of("Ref", "Bucket"), properties("BucketPolicy").get("Bucket"));
        assertEquals("Allow", statement.get("Effect"));
        assertEquals(Map.of("Service", "cloudfront.amazonaws.com"), statement.get("Principal"));
        assertEquals("s3:GetObject", statement.get("Action"));
        assertEquals(Map.of("Fn::Sub", "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/"
                + "${Distribution}"), map(statement, "Condition", "StringEquals").get("AWS:SourceArn"));
    }

    @Test
    void theCacheHonoursTheOriginsHeadersAndCompressesPlaylistsOnly() {
        for (String policy : List.of("PlaylistCachePolicy", "SegmentCachePolicy")) {
            Map<String, Object> config = map(properties(policy), "CachePolicyConfig");
            assertEquals(0, config.get("MinTTL"), policy);
            assertEquals(31536000, config.get("MaxTTL"), policy);
            Map<String, Object> key = map(config, "ParametersInCacheKeyAndForwardedToOrigin");
            assertEquals("none", map(key, "QueryStringsConfig").get("QueryStringBehavior"), policy);
            assertEquals("none", map(key, "CookiesConfig").get("CookieBehavior"), policy);
        }
        Map<String, Object> distribution = map(properties("Distribution"), "DistributionConfig");
        assertEquals("http2and3", distribution.get("HttpVersion"));
        Map<String, Object> segments = map(distribution, "DefaultCacheBehavior");
        assertEquals(false, segments.get("Compress"));
        assertEquals(Map.of("Ref", "SegmentCachePolicy"), segments.get("CachePolicyId"));
        Map<String, Object> playlists = map(list(distribution, "CacheBehaviors").get(0));
        assertEquals("*.m3u8", playlists.get("PathPattern"));
        assertEquals(true, playlists.get("Compress"));
        assertEquals(Map.of("Ref", "PlaylistCachePolicy"), playlists.get("CachePolicyId"));
        for (Map<String, Object> behaviour : List.of(segments, playlists)) {
            assertEquals(Map.of("Ref", "CorsPolicy"), behaviour.get("ResponseHeadersPolicyId"));
            assertEquals("redirect-to-https", behaviour.get("ViewerProtocolPolicy"));
        }
    }

    @Test
    void corsLetsPlayersOnAnySiteRead() {
        Map<String, Object> cors = map(properties("CorsPolicy"), "ResponseHeadersPolicyConfig", "CorsConfig");
        assertEquals(List.of("*"), list(cors, "AccessControlAllowOrigins", "Items"));
        assertEquals(List.of("GET", "HEAD", "OPTIONS"), list(cors, "AccessControlAllowMethods", "Items"));
        assertEquals(false, cors.get("AccessControlAllowCredentials"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void thePublishersPolicyAllowsWhatTheApplicationDoesAndNoMore() {
        Set<String> actions = new TreeSet<>();
        for (Object statement : list(properties("PublisherPolicy"), "PolicyDocument", "Statement")) {
            Object action = map(statement).get("Action");
            if (action instanceof List<?> several) {
                several.forEach(one -> actions.add(one.toString()));
            } else {
                actions.add(action.toString());
            }
            assertFalse("*".equals(map(statement).get("Resource")), "a statement on every resource: " + statement);
        }
        assertEquals(Set.of("s3:PutObject", "s3:GetObject", "s3:ListBucket", "cloudfront:CreateInvalidation"),
                actions);
        assertTrue(actions.stream().noneMatch(action -> action.contains("Delete") || action.endsWith("*")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }
}
