namespace Dockyard.Server.Control.Stacks.Hooks;

/// <summary>The result of <see cref="StackHookService.CallAsync"/>: the answer for an accepted call, the wait for a limited one.</summary>
internal sealed record StackHookCallResult(StackHookCallOutcome Outcome, StackHookCallView? Accepted = null, TimeSpan? RetryAfter = null);
