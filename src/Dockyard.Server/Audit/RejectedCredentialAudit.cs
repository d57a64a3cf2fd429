using System.Text.Json;

namespace Dockyard.Server.Audit;

/// <summary>
/// Records refused credentials that no login records (a forged, tampered or expired registry token on <c>/v2</c>; an
/// unknown, expired or revoked access token or an unreadable <c>Authorization</c> header on <c>/api/v1</c>) as
/// <c>auth.credential.rejected</c> entries, aggregated so a flood cannot flood the trail: the first refusal of a
/// (source address, kind) is recorded at once with its reason; the ones after it within <see cref="Window"/> are only
/// counted, and that count is recorded as one entry ("49 more rejected registry_token credentials from A within 1
/// minute") when the window has passed, at the next refusal or at the periodic <see cref="FlushAsync"/>, and at
/// shutdown for windows still open (<see cref="FlushAllAsync"/>). At most
/// <see cref="MaxTracked"/> addresses are told apart; beyond that their refusals are counted under the address <c>*</c>.
/// </summary>
internal sealed class RejectedCredentialAudit(AuditTrail trail, TimeProvider time)
{
    /// <summary>Kind of a refused registry bearer token (JWT) on <c>/v2</c>.</summary>
    public const string RegistryToken = "registry_token";

    /// <summary>Kind of a refused access token (Bearer) on <c>/api/v1</c>.</summary>
    public const string AccessToken = "access_token";

    /// <summary>Kind of an <c>Authorization</c> header that could not be read (unknown scheme, bad encoding).</summary>
    public const string MalformedHeader = "malformed_header";

    public const int MaxTracked = 10_000;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _flushing = new(1, 1);
    private readonly Dictionary<(string Address, string Kind), Tally> _tallies = [];

    /// <summary>Records (or counts) one refusal of the request's credentials of <paramref name="kind"/>; the reason is never secret.</summary>
    public async Task RecordAsync(HttpContext context, string kind, string reason)
    {
        var requestContext = trail.ContextOf(context);
        var now = time.GetUtcNow();
        (string Address, string Kind) key = (requestContext.SourceIp ?? "unknown", kind);
        Tally? closed = null;
        lock (_gate)
        {
            if (!_tallies.ContainsKey(key) && _tallies.Count >= MaxTracked)
            {
                key = ("*", kind);
            }

            if (_tallies.TryGetValue(key, out var tally) && now - tally.Start < Window)
            {
                tally.Suppressed++;
                return;
            }

            if (tally is { Suppressed: > 0 })
            {
                closed = tally;
            }

            _tallies[key] = new Tally(now);
        }

        if (closed is not null)
        {
            await RecordSummaryAsync(key, closed);
        }

        await trail.RecordAsync(
            new AuditEvent
            {
                Action = AuditActions.CredentialRejected,
                Outcome = AuditOutcomes.Denied,
                Reason = reason,
                Details = JsonSerializer.Serialize(new { kind, count = 1 }, AuditEntryResponse.JsonOptions),
            },
            key.Address == "*" ? requestContext with { SourceIp = null } : requestContext,
            CancellationToken.None);
    }

    /// <summary>Records the counts of the windows that have passed and forgets them.</summary>
    public Task FlushAsync(CancellationToken cancellationToken) => FlushCoreAsync(all: false, cancellationToken);

    /// <summary>
    /// Records every count still pending, open windows included, and forgets them: at shutdown, when the counts held
    /// only in this process's memory would otherwise be lost.
    /// </summary>
    public Task FlushAllAsync(CancellationToken cancellationToken) => FlushCoreAsync(all: true, cancellationToken);

    private async Task FlushCoreAsync(bool all, CancellationToken cancellationToken)
    {
        // One flush at a time: a flush returns only once every window closed so far is recorded, also those a concurrent
        // flush (the periodic one) took first; their audit appends now wait for a group commit (GroupCommit).
        await _flushing.WaitAsync(cancellationToken);
        try
        {
            await FlushClosedAsync(all, cancellationToken);
        }
        finally
        {
            _flushing.Release();
        }
    }

    private async Task FlushClosedAsync(bool all, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        List<((string Address, string Kind) Key, Tally Tally)> closed = [];
        lock (_gate)
        {
            foreach (var (key, tally) in _tallies.Where(t => all || now - t.Value.Start >= Window).ToList())
            {
                _tallies.Remove(key);
                if (tally.Suppressed > 0)
                {
                    closed.Add((key, tally));
                }
            }
        }

        foreach (var (key, tally) in closed)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await RecordSummaryAsync(key, tally);
        }
    }

    private Task RecordSummaryAsync((string Address, string Kind) key, Tally tally) =>
        trail.RecordAsync(
            new AuditEvent
            {
                Action = AuditActions.CredentialRejected,
                Outcome = AuditOutcomes.Denied,
                Reason = $"{tally.Suppressed} more rejected {key.Kind} credentials from {key.Address} within {Window.TotalMinutes:0} minute",
                Details = JsonSerializer.Serialize(new { kind = key.Kind, count = tally.Suppressed, since = tally.Start }, AuditEntryResponse.JsonOptions),
            },
            new AuditContext(AuditActor.Anonymous, null, key.Address is "*" or "unknown" ? null : key.Address, null, null),
            CancellationToken.None);

    private sealed class Tally(DateTimeOffset start)
    {
        public DateTimeOffset Start { get; } = start;

        public int Suppressed { get; set; }
    }
}
