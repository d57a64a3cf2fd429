using Dockyard.Registry.Content;
using Microsoft.Extensions.Options;

namespace Dockyard.Registry.Tests.Content;

public class ManifestBodyCacheTests
{
    [Fact]
    public void TryGet_AfterAdd_ReturnsTheBody()
    {
        var cache = Create(capacity: 64 * 1024);
        var (digest, body) = Body(1, 100);

        Assert.False(cache.TryGet(digest, out _));
        cache.Add(digest, body);

        Assert.True(cache.TryGet(digest, out var cached));
        Assert.Same(body, cached);
        Assert.Equal(100, cache.Bytes);
    }

    [Fact]
    public void Add_FarMoreThanCapacity_NeverHoldsMoreThanCapacity()
    {
        const int capacity = 16 * 1024;
        var cache = Create(capacity);

        for (var i = 0; i < 1_000; i++)
        {
            var (digest, body) = Body(i, 500 + (i % 7 * 100));
            cache.Add(digest, body);
            Assert.InRange(cache.Bytes, 0, capacity);
        }

        // The most recent bodies are still there; the oldest were dropped.
        Assert.True(cache.TryGet(Body(999, 500 + (999 % 7 * 100)).Digest, out _));
        Assert.False(cache.TryGet(Body(0, 500).Digest, out _));
    }

    [Fact]
    public void TryGet_BodyReadAgainBeforeItsGenerationIsDropped_IsKept()
    {
        const int capacity = 8 * 1024;   // generations of 4 KiB, entries of 400 bytes: 10 per generation
        var cache = Create(capacity);
        var (hot, hotBody) = Body(-1, 400);
        cache.Add(hot, hotBody);

        for (var i = 0; i < 200; i++)
        {
            var (digest, body) = Body(i, 400);
            cache.Add(digest, body);
            Assert.True(cache.TryGet(hot, out _), $"the body read after every add was dropped at add {i}");
        }
    }

    [Fact]
    public void Add_BodyLargerThanAnEighthOfAGeneration_IsNotCached()
    {
        var cache = Create(capacity: 16 * 1024);   // generations of 8 KiB: at most 1 KiB per body
        var (small, smallBody) = Body(1, 1024);
        var (large, largeBody) = Body(2, 1025);

        cache.Add(small, smallBody);
        cache.Add(large, largeBody);

        Assert.True(cache.TryGet(small, out _));
        Assert.False(cache.TryGet(large, out _));
    }

    [Fact]
    public void Add_CapacityZero_CachesNothing()
    {
        var cache = Create(capacity: 0);
        var (digest, body) = Body(1, 10);

        cache.Add(digest, body);

        Assert.False(cache.TryGet(digest, out _));
        Assert.Equal(0, cache.Bytes);
    }

    [Fact]
    public void Remove_CachedBodyInEitherGeneration_ForgetsItAndItsBytes()
    {
        const int capacity = 8 * 1024;
        var cache = Create(capacity);
        var (older, olderBody) = Body(1, 400);
        cache.Add(older, olderBody);
        for (var i = 10; i < 20; i++)
        {
            cache.Add(Body(i, 400).Digest, Body(i, 400).Body);   // fills the generation: the next add rotates
        }

        var (newer, newerBody) = Body(2, 400);
        cache.Add(newer, newerBody);

        cache.Remove(older);
        cache.Remove(newer);

        Assert.False(cache.TryGet(older, out _));
        Assert.False(cache.TryGet(newer, out _));
        Assert.Equal(10 * 400, cache.Bytes);
    }

    private static ManifestBodyCache Create(long capacity) =>
        new(Options.Create(new RegistryOptions { ManifestCacheBytes = capacity }));

    private static (Digest Digest, byte[] Body) Body(int seed, int length)
    {
        var body = new byte[length];
        new Random(seed).NextBytes(body);
        return (Digest.Compute(body), body);
    }
}
