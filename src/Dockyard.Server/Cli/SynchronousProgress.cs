namespace Dockyard.Server.Cli;

/// <summary>An <see cref="IProgress{T}"/> that reports on the caller's thread, so console lines keep their order.</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
