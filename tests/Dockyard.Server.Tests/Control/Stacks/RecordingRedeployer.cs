using Dockyard.Server.Audit;
using Dockyard.Server.Control.Stacks.Follow;

namespace Dockyard.Server.Tests.Control.Stacks;

/// <summary>An <see cref="IStackRedeployer"/> that records calls (and throws for the stacks told to), for tests without a swarm.</summary>
internal sealed class RecordingRedeployer : IStackRedeployer
{
    private readonly Lock _lock = new();
    private readonly List<(Caller Caller, string Stack, StackRedeploy Request)> _calls = [];

    /// <summary>Stacks whose redeploy throws <see cref="InvalidOperationException"/>.</summary>
    public HashSet<string> Failing { get; } = new(StringComparer.Ordinal);

    public Task<int?> RedeployAsync(Caller caller, string stack, StackRedeploy request, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _calls.Add((caller, stack, request));
            if (Failing.Contains(stack))
            {
                throw new InvalidOperationException("redeploy blew up");
            }
        }

        return Task.FromResult<int?>(null);
    }

    public IReadOnlyList<(Caller Caller, string Stack, StackRedeploy Request)> CallsFor(string stack)
    {
        lock (_lock)
        {
            return [.. _calls.Where(c => c.Stack == stack)];
        }
    }

    /// <summary>The first call for <paramref name="stack"/>, waiting up to ten seconds for it.</summary>
    public async Task<(Caller Caller, string Stack, StackRedeploy Request)> WaitForAsync(string stack)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (CallsFor(stack) is [var first, ..])
            {
                return first;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"no redeploy of {stack} within 10 s");
    }
}
