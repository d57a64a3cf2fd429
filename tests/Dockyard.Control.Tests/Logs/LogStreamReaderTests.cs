using System.Text;
using Dockyard.Control.Engines;
using Dockyard.Control.Logs;
using Dockyard.Control.Tests.Support;

namespace Dockyard.Control.Tests.Logs;

public sealed class LogStreamReaderTests
{
    // Recorded shape of `GET containers/{id}/logs?stdout=1&stderr=1` for a container that wrote a line in two writes,
    // a stderr line in between, a type-0 frame, a multibyte line cut mid-character across frames, and a last line without newline.
    private static readonly byte[] Recorded = Frames.Concat(
        Frames.Frame(1, "hello\nwor"),
        Frames.Frame(2, "err line\n"),
        Frames.Frame(1, "ld\n"),
        Frames.Frame(0, "from stdin frame\n"),
        Frames.Frame(1, [.. "é€"u8, 0xF0, 0x9F]),
        Frames.Frame(1, [0x98, 0x80, (byte)'\n']),
        Frames.Frame(2, ""),
        Frames.Frame(1, "no newline at EOF"));

    private static readonly LogLine[] Expected =
    [
        new(LogStreamKind.Stdout, null, "hello"),
        new(LogStreamKind.Stderr, null, "err line"),
        new(LogStreamKind.Stdout, null, "world"),
        new(LogStreamKind.Stdout, null, "from stdin frame"),
        new(LogStreamKind.Stdout, null, "é€😀"),
        new(LogStreamKind.Stdout, null, "no newline at EOF"),
    ];

    [Fact]
    public async Task ReadLines_OneBytePerRead_DemultiplexesEveryFrame()
    {
        var stream = new ChunkedStream(Recorded, chunk: 1);

        var lines = await ReadAllAsync(stream, tty: false);

        Assert.Equal(Expected, lines);
        Assert.True(stream.Reads > Recorded.Length, "every byte came in its own read");
    }

    [Fact]
    public async Task ReadLines_SplitAtEveryBoundary_SameLines()
    {
        for (var cut = 1; cut < Recorded.Length; cut++)
        {
            var lines = await ReadAllAsync(new ChunkedStream(Recorded, cut), tty: false);
            Assert.True(Expected.SequenceEqual(lines), $"split at byte {cut}: {string.Join(" | ", lines)}");
        }
    }

    [Fact]
    public async Task ReadLines_Tty_RawBytesAreStdoutAndCrLfIsStripped()
    {
        var raw = Encoding.UTF8.GetBytes("$ ls\r\nbin  etc\r\n\r\nprompt # ");

        var lines = await ReadAllAsync(new ChunkedStream(raw, chunk: 3), tty: true);

        Assert.Equal(
            [new(LogStreamKind.Stdout, null, "$ ls"), new(LogStreamKind.Stdout, null, "bin  etc"), new(LogStreamKind.Stdout, null, ""), new(LogStreamKind.Stdout, null, "prompt # ")],
            lines);
    }

    [Fact]
    public async Task ReadLines_LineLongerThanMaximum_IsSplitWithContinuesFlag()
    {
        var bytes = Frames.Frame(1, new string('a', 150) + "\nshort\n");

        var lines = await ReadAllAsync(new ChunkedStream(bytes, chunk: 7), tty: false, maxLineBytes: 64);

        Assert.Equal(
            [
                new(LogStreamKind.Stdout, null, new string('a', 64), Continues: true),
                new(LogStreamKind.Stdout, null, new string('a', 64), Continues: true),
                new(LogStreamKind.Stdout, null, new string('a', 22)),
                new(LogStreamKind.Stdout, null, "short"),
            ],
            lines);
    }

    [Fact]
    public async Task ReadLines_SplitFallsInsideMultibyteCharacter_CutsBeforeIt()
    {
        var bytes = Encoding.UTF8.GetBytes(new string('a', 63) + "€b\n");

        var lines = await ReadAllAsync(new ChunkedStream(bytes, chunk: 1), tty: true, maxLineBytes: 64);

        Assert.Equal([new(LogStreamKind.Stdout, null, new string('a', 63), Continues: true), new(LogStreamKind.Stdout, null, "€b")], lines);
    }

    [Fact]
    public async Task ReadLines_HugeLineWithoutNewline_StaysWithinMaximum()
    {
        // 4 MiB in one frame, no newline: delivered as bounded pieces, never held whole.
        var payload = new byte[4 * 1024 * 1024];
        payload.AsSpan().Fill((byte)'x');
        var bytes = Frames.Frame(1, payload);

        var count = 0;
        var total = 0;
        await foreach (var line in LogStreamReader.ReadLinesAsync(new ChunkedStream(bytes, chunk: 65536), false, false, 1024, "test", CancellationToken.None))
        {
            Assert.True(line.Text.Length <= 1024);
            total += line.Text.Length;
            count++;
        }

        Assert.Equal(payload.Length, total);
        Assert.Equal(4096, count);
    }

    [Fact]
    public async Task ReadLines_Timestamps_ParsedFromEachLineStart()
    {
        var bytes = Frames.Concat(
            Frames.Frame(1, "2026-12-06T16:27:24.123456789Z first\n"),
            Frames.Frame(2, "2026-12-06T17:27:24.5+01:00 second\n"),
            Frames.Frame(1, "not a timestamp\n"));

        var lines = await ReadAllAsync(new ChunkedStream(bytes, chunk: 5), tty: false, timestamps: true);

        Assert.Equal(
            [
                new(LogStreamKind.Stdout, new DateTimeOffset(2026, 12, 6, 16, 27, 24, TimeSpan.Zero).AddTicks(1234567), "first"),
                new(LogStreamKind.Stderr, new DateTimeOffset(2026, 12, 6, 17, 27, 24, TimeSpan.FromHours(1)).AddTicks(5000000), "second"),
                new(LogStreamKind.Stdout, null, "not a timestamp"),
            ],
            lines);
    }

    [Fact]
    public async Task ReadLines_RawBytesReadAsFramed_ThrowsEngineApiException()
    {
        var raw = Encoding.UTF8.GetBytes("this container has a TTY\n");

        var ex = await Assert.ThrowsAsync<EngineApiException>(() => ReadAllAsync(new ChunkedStream(raw, chunk: 100), tty: false));

        Assert.Equal(EngineErrorKind.Failed, ex.Kind);
        Assert.Contains("not multiplexed", ex.Message, StringComparison.Ordinal);
    }

    private static async Task<List<LogLine>> ReadAllAsync(Stream stream, bool tty, int maxLineBytes = LogOptions.DefaultMaxLineBytes, bool timestamps = false)
    {
        var lines = new List<LogLine>();
        await foreach (var line in LogStreamReader.ReadLinesAsync(stream, tty, timestamps, maxLineBytes, "test", CancellationToken.None))
        {
            lines.Add(line);
        }

        return lines;
    }
}
