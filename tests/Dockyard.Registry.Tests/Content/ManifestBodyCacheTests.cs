using System.Text;
using Dockyard.Registry.Content;

namespace Dockyard.Registry.Tests.Content;

public sealed class ManifestBodyCacheTests
{
    private static (Digest Digest, byte[] Body) Manifest(int i, int size = 1000)
    {
        var body = Encoding.UTF8.GetBytes($"{{\"n\":{i},\"pad\":\"{new string('x', size)}\"}}");
        return (Digest.Compute(body), body);
    }

    [Fact]
    public void Keeps_a_body_by_its_digest_until_removed()
    {
        var cache = new ManifestBodyCache(1 << 20);
        var (digest, body) = Manifest(1);
        Assert.Null(cache.TryGet(digest));

        cache.Add(digest, body);
        Assert.Same(body, cache.TryGet(digest));
        Assert.Equal(body.Length, cache.Bytes);

        cache.Remove(digest);
        Assert.Null(cache.TryGet(digest));
        Assert.Equal(0, cache.Bytes);
    }

    [Fact]
    public void Stays_within_its_byte_budget_and_keeps_what_is_read()
    {
        const int capacity = 64 * 1024;
        var cache = new ManifestBodyCache(capacity);
        var hot = Manifest(-1);
        cache.Add(hot.Digest, hot.Body);
        for (var i = 0; i < 500; i++)
        {
            var (digest, body) = Manifest(i);
            cache.Add(digest, body);
            Assert.NotNull(cache.TryGet(hot.Digest)); // read between every insert: the second chance keeps it
            Assert.True(cache.Bytes <= capacity, $"{cache.Bytes} bytes held after {i + 1} inserts");
        }

        Assert.InRange(cache.Count, (capacity / 1100) - 2, capacity / 1000);
        Assert.Null(cache.TryGet(Manifest(0).Digest)); // cold and old: evicted
    }

    [Fact]
    public void Refuses_a_body_larger_than_an_eighth_of_the_budget_and_a_zero_budget_keeps_nothing()
    {
        var cache = new ManifestBodyCache(8 * 1024);
        var (big, bigBody) = Manifest(1, size: 2000);
        cache.Add(big, bigBody);
        Assert.Null(cache.TryGet(big));

        var off = new ManifestBodyCache(0);
        var (digest, body) = Manifest(2, size: 10);
        off.Add(digest, body);
        Assert.Null(off.TryGet(digest));
        Assert.Equal(0, off.Bytes);
    }

    [Fact]
    public async Task Concurrent_adds_reads_and_removes_keep_the_byte_count_exact()
    {
        var cache = new ManifestBodyCache(200 * 1024);
        var manifests = Enumerable.Range(0, 400).Select(i => Manifest(i, size: 500 + (i % 7) * 100)).ToArray();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(() =>
        {
            for (var round = 0; round < 2000; round++)
            {
                var (digest, body) = manifests[(round * 7 + worker * 13) % manifests.Length];
                switch (round % 3)
                {
                    case 0: cache.Add(digest, body); break;
                    case 1:
                        var got = cache.TryGet(digest);
                        Assert.True(got is null || ReferenceEquals(got, body));
                        break;
                    default: cache.Remove(manifests[(round + worker) % manifests.Length].Digest); break;
                }
            }
        })));

        var held = manifests.Where(m => cache.TryGet(m.Digest) is not null).Sum(m => (long)m.Body.Length);
        Assert.Equal(held, cache.Bytes);
        Assert.True(cache.Bytes <= 200 * 1024);
    }
}
