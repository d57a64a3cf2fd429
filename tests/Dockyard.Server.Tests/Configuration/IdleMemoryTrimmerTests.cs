using Dockyard.Server.Hosting;

namespace Dockyard.Server.Tests.Configuration;

public sealed class IdleMemoryTrimmerTests
{
    private long _allocated;
    private int _trims;

    private IdleMemoryTrimmer Create() => new(() => _allocated, () => _trims++, TimeProvider.System);

    [Fact]
    public void Trims_once_on_the_first_quiet_interval_after_activity_and_again_after_the_next_busy_spell()
    {
        var trimmer = Create();

        _allocated += 50 * 1024 * 1024;   // busy
        trimmer.Tick();
        Assert.Equal(0, _trims);

        _allocated += 1000;               // quiet: trim
        trimmer.Tick();
        Assert.Equal(1, _trims);

        _allocated += 1000;               // still quiet: nothing more
        trimmer.Tick();
        trimmer.Tick();
        Assert.Equal(1, _trims);

        _allocated += IdleMemoryTrimmer.QuietAllocationBytes;   // busy again
        trimmer.Tick();
        Assert.Equal(1, _trims);

        trimmer.Tick();                   // quiet again: trim again
        Assert.Equal(2, _trims);
    }

    [Fact]
    public void Never_trims_while_the_process_keeps_allocating()
    {
        var trimmer = Create();
        for (var i = 0; i < 20; i++)
        {
            _allocated += 2 * IdleMemoryTrimmer.QuietAllocationBytes;
            trimmer.Tick();
        }

        Assert.Equal(0, _trims);
    }
}
