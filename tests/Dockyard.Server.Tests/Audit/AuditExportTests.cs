using System.Text;
using System.Text.Json;
using Dockyard.Server.Audit;
using Dockyard.Server.Tests.Hosting;

namespace Dockyard.Server.Tests.Audit;

/// <summary>Export streams from the database with bounded memory, and the CSV reads back exactly.</summary>
[Collection(ProcessMemoryCollection.Name)]
public sealed class AuditExportTests : IAsyncLifetime
{
    private const int Count = 100_000;
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private InProcessDockyard _server = null!;

    public async Task InitializeAsync()
    {
        _server = await InProcessDockyard.StartAsync();

        // Start from an empty chain: the first start records its own entries (the bootstrap administrator).
        await AuditTestServer.ClearAsync(_server.Services);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>Awkward user agents: commas, quotes, CR/LF, a formula lookalike, non-ASCII; long, so buffering would show.</summary>
    private static string UserAgent(int i) => (i % 5) switch
    {
        0 => "docker/27.0 (linux, amd64)",
        1 => "evil \"quoted\" agent, with comma",
        2 => "multi\r\nline\nagent",
        3 => "=HYPERLINK(\"x\")",
        _ => "ünïcødé agent",
    } + " " + Padding + " #" + i;

    private static readonly string Padding = new('x', 600);

    [Fact]
    public async Task Export_100kEntriesCsv_StreamsWithBoundedMemoryAndParsesBack()
    {
        var writer = _server.GetRequiredService<AuditWriter>();
        for (var batch = 0; batch < Count / 5000; batch++)
        {
            await writer.AppendAsync([.. Enumerable.Range(batch * 5000, 5000).Select(i => AuditChainTests.Entry(Start.AddSeconds(i), UserAgent(i)))], CancellationToken.None);
        }

        var path = Path.Combine(_server.DataDirectory, "export.csv");
        long peak;
        await using (var file = File.Create(path))
        {
            var probe = new MemoryProbeStream(file);
            var exported = await _server.GetRequiredService<AuditExporter>().ExportAsync(new AuditFilter(), AuditExportFormat.Csv, probe, null, CancellationToken.None);
            Assert.Equal(Count, exported);
            peak = probe.PeakGrowth;
        }

        Assert.True(new FileInfo(path).Length > 64L * 1024 * 1024, "the export must be larger than the memory bound for the bound to mean anything");
        Assert.True(peak < 64L * 1024 * 1024, $"managed memory grew by {peak / (1024 * 1024)} MiB during the export");

        // Read back with a strict RFC 4180 reader, streaming.
        using var reader = new StreamReader(path, Encoding.UTF8);
        Assert.Equal(AuditCsv.Header, ReadRecord(reader) is { } header ? string.Join(',', header) : null);
        var rows = 0;
        while (ReadRecord(reader) is { } fields)
        {
            Assert.Equal(19, fields.Count);
            var expected = UserAgent(rows);
            Assert.Equal(expected[0] == '=' ? "'" + expected : expected, fields[7]);
            Assert.Equal((rows + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), fields[0]);
            rows++;
        }

        Assert.Equal(Count, rows);
    }

    [Fact]
    public async Task Export_Jsonl_FiltersAndRoundTrips()
    {
        var writer = _server.GetRequiredService<AuditWriter>();
        await writer.AppendAsync([.. Enumerable.Range(0, 50).Select(i => AuditChainTests.Entry(Start.AddSeconds(i), UserAgent(i), i % 2 == 0 ? "acme/app" : "other/app"))], CancellationToken.None);
        using var output = new MemoryStream();
        var count = await _server.GetRequiredService<AuditExporter>().ExportAsync(
            new AuditFilter { Repository = "acme/app", From = Start.AddSeconds(10) }, AuditExportFormat.Jsonl, output, null, CancellationToken.None);
        Assert.Equal(20, count);
        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(20, lines.Length);
        foreach (var line in lines)
        {
            var entry = JsonSerializer.Deserialize<AuditEntryResponse>(line, AuditEntryResponse.JsonOptions)!;
            Assert.Equal("acme/app", entry.Repository);
            Assert.True(entry.Time >= Start.AddSeconds(10));
            Assert.Equal(UserAgent((int)entry.Id - 1), entry.UserAgent);
        }
    }

    /// <summary>One RFC 4180 record, or null at the end.</summary>
    private static List<string>? ReadRecord(TextReader reader)
    {
        if (reader.Peek() < 0)
        {
            return null;
        }

        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        while (true)
        {
            var c = reader.Read();
            if (c < 0)
            {
                fields.Add(field.ToString());
                return fields;
            }

            if (quoted)
            {
                if (c == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    field.Append((char)c);
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\r' && reader.Peek() == '\n')
            {
                reader.Read();
                fields.Add(field.ToString());
                return fields;
            }
            else
            {
                field.Append((char)c);
            }
        }
    }

    /// <summary>Passes writes through and samples managed heap growth at each one.</summary>
    private sealed class MemoryProbeStream(Stream inner) : Stream
    {
        private readonly long _baseline = GC.GetTotalMemory(forceFullCollection: true);

        public long PeakGrowth { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            Sample();
            inner.Write(buffer, offset, count);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Sample();
            return inner.WriteAsync(buffer, cancellationToken);
        }

        // Live memory (after a collection), once per flushed chunk: garbage is not what "sits in memory" means.
        private void Sample() => PeakGrowth = Math.Max(PeakGrowth, GC.GetTotalMemory(forceFullCollection: true) - _baseline);
    }
}
