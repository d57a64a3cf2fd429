using System.Runtime.InteropServices;

namespace Dockyard.Server.Tests.Protection;

/// <summary>Sets the test process's umask (process-wide) and puts the previous one back on dispose.</summary>
internal sealed partial class ProcessUmask : IDisposable
{
    private readonly uint _previous;

    public ProcessUmask(uint mask) => _previous = SetUmask(mask);

    public void Dispose() => SetUmask(_previous);

#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code in this project; umask takes and returns a plain integer.
    [DllImport("libc", EntryPoint = "umask")]
    private static extern uint SetUmask(uint mask);
#pragma warning restore SYSLIB1054
}
