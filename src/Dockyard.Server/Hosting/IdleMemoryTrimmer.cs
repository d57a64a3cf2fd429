using System.Runtime;

namespace Dockyard.Server.Hosting;

/// <summary>
/// Gives memory back to the operating system when the server goes quiet. A busy spell (a big push, a burst of
/// pulls) grows the garbage-collected heap, and the GC keeps that memory committed until it next runs — which, with
/// nothing allocating, is never: an idle registry would sit at its peak footprint for hours. Every
/// <see cref="Interval"/> this checks how much the process allocated since the last check; the first quiet interval
/// after activity runs one aggressive, compacting full collection (which decommits free memory and trims pooled
/// arrays), then nothing until the process is busy again. Cost: one blocking collection of a small heap per busy
/// spell, when nothing is waiting for it.
/// </summary>
internal sealed class IdleMemoryTrimmer : BackgroundService
{
    /// <summary>Setting that turns the trimmer off (on by default).</summary>
    public const string EnabledKey = "Dockyard:Memory:TrimWhenIdle";

    /// <summary>How often activity is sampled; a quiet interval this long triggers the trim.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    /// <summary>Allocating less than this in one interval counts as quiet (timers and polling loops stay below it).</summary>
    public const long QuietAllocationBytes = 1024 * 1024;

    private readonly Func<long> _allocatedBytes;
    private readonly Action _trim;
    private readonly TimeProvider _time;
    private long _lastAllocated;
    private bool _trimmedSinceActivity;

    public IdleMemoryTrimmer(TimeProvider time)
        : this(() => GC.GetTotalAllocatedBytes(), Trim, time)
    {
    }

    internal IdleMemoryTrimmer(Func<long> allocatedBytes, Action trim, TimeProvider time)
    {
        _allocatedBytes = allocatedBytes;
        _trim = trim;
        _time = time;
        _lastAllocated = allocatedBytes();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, _time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            Tick();
        }
    }

    /// <summary>One sample: trims on the first quiet interval after activity.</summary>
    internal void Tick()
    {
        var allocated = _allocatedBytes();
        var quiet = allocated - _lastAllocated < QuietAllocationBytes;
        _lastAllocated = allocated;
        if (!quiet)
        {
            _trimmedSinceActivity = false;
            return;
        }

        if (_trimmedSinceActivity)
        {
            return;
        }

        _trimmedSinceActivity = true;
        _trim();
        _lastAllocated = _allocatedBytes();   // the collection's own allocations are not activity
    }

    private static void Trim()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }
}
