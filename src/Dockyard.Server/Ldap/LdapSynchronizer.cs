using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Errors;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Ldap;

/// <summary>
/// The scheduled (and on-demand) sync: every LDAP user in the database is looked up again. Gone from the directory
/// (or no longer matching the user filter) → deactivated, so its access tokens stop working; still there → attributes
/// and team memberships re-synced. Also the administrator's "test connection". A run is authorized and recorded for
/// its <see cref="Caller"/> (<c>ldap.sync</c> with its counts; the schedule runs as <see cref="Caller.System"/>), and
/// each user it deactivates and each membership it changes gets its own entry (<see cref="LdapSyncAudit"/>).
/// </summary>
internal sealed partial class LdapSynchronizer(
    IDbContextFactory<DockyardDbContext> contexts,
    LdapSettingsStore settingsStore,
    LdapAccountSync accounts,
    LdapDirectoryRunner runner,
    AuditedOperations audited,
    ILogger<LdapSynchronizer> logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _completedRuns;

    /// <summary>Number of finished runs (scheduled or not), for tests that wait for the schedule.</summary>
    public long CompletedRuns => Interlocked.Read(ref _completedRuns);

    /// <summary>
    /// Syncs every LDAP user now, for <paramref name="caller"/> (system administrators with full rights, or the system).
    /// LDAP switched off is a conflict; a run that could not ask the directory returns its error and is recorded as failed.
    /// </summary>
    public Task<LdapSyncResult> SyncAllAsync(Caller caller, CancellationToken cancellationToken) =>
        audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.LdapSync, "ldap"),
            _ => Task.FromResult(LdapAdministration.Authorize(caller.Principal)),
            async token =>
            {
                if (!(await settingsStore.GetAsync(token)).Enabled)
                {
                    throw DomainException.Conflict("LDAP is not enabled; enable it in the settings first.");
                }

                return await SyncOnceAsync(token);
            },
            cancellationToken,
            resultOf: result => new AuditedResult(
                AuditedResult.Of(("checked", result.Checked), ("deactivated", result.Deactivated), ("teamsAdded", result.TeamsAdded), ("teamsRemoved", result.TeamsRemoved), ("failed", result.Failed)).Fields,
                result.Error));

    private async Task<LdapSyncResult> SyncOnceAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var result = await RunAsync(cancellationToken);
            if (result.Error is null)
            {
                LogSynced(result.Checked, result.Deactivated, result.TeamsAdded, result.TeamsRemoved, result.Failed);
            }
            else
            {
                LogSyncFailed(result.Error);
            }

            return result;
        }
        finally
        {
            Interlocked.Increment(ref _completedRuns);
            _gate.Release();
        }
    }

    /// <summary>Connects and binds with the search account; with <paramref name="username"/>, also finds that user.</summary>
    public async Task<LdapConnectionTestResult> TestAsync(LdapSettings settings, string? username, CancellationToken cancellationToken)
    {
        try
        {
            return await runner.RunAsync(
                settings.Url,
                settings.Timeout,
                abandoned =>
                {
                    using var session = LdapSession.Open(settings);
                    abandoned.ThrowIfCancellationRequested();
                    if (string.IsNullOrWhiteSpace(username))
                    {
                        return new LdapConnectionTestResult(true, $"Connected to {settings.Url} and bound as the search account.");
                    }

                    var entry = session.FindUser(username.Trim());
                    return entry is null
                        ? new LdapConnectionTestResult(false, $"Connected and bound, but the user filter found no user '{username.Trim()}'.")
                        : new LdapConnectionTestResult(true, $"Connected, bound, and found '{entry.Username}' with {entry.Groups.Count} group(s).", entry.Dn, entry.Groups);
                },
                cancellationToken);
        }
        catch (LdapDirectoryException ex)
        {
            return new LdapConnectionTestResult(false, ex.Message);
        }
    }

    private async Task<LdapSyncResult> RunAsync(CancellationToken cancellationToken)
    {
        var settings = await settingsStore.GetAsync(cancellationToken);
        if (!settings.Enabled)
        {
            return new LdapSyncResult(0, 0, 0, 0, 0, "LDAP is not enabled.");
        }

        List<(long Id, string Username)> users;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            users = [.. (await db.Users.AsNoTracking()
                .Where(u => u.Source == AccountSource.Ldap)
                .OrderBy(u => u.Id)
                .Select(u => new { u.Id, u.Username })
                .ToListAsync(cancellationToken)).Select(u => (u.Id, u.Username))];
        }

        LdapSession session;
        try
        {
            session = await runner.RunAsync(settings.Url, settings.Timeout, _ => LdapSession.Open(settings), cancellationToken);
        }
        catch (LdapDirectoryException ex)
        {
            return new LdapSyncResult(0, 0, 0, 0, 0, ex.Message);
        }

        using (session)
        {
            int deactivated = 0, added = 0, removed = 0, failed = 0;
            for (var i = 0; i < users.Count; i++)
            {
                var (id, username) = users[i];
                LdapUserEntry? entry;
                try
                {
                    entry = await runner.RunAsync(settings.Url, settings.Timeout, _ => session.FindUser(username), cancellationToken);
                }
                catch (LdapDirectoryException ex)
                {
                    // Unknown is not absent: a failed lookup never deactivates anyone.
                    LogLookupFailed(username, ex.Message);
                    if (ex.TimedOut || ex.Busy)
                    {
                        // The directory stopped answering (and the session may still be in use): the rest are unchecked too.
                        failed += users.Count - i;
                        break;
                    }

                    failed++;
                    continue;
                }

                if (entry is null)
                {
                    var (wasActive, teamsRemoved) = await accounts.DeactivateAsync(id, cancellationToken);
                    removed += teamsRemoved;
                    if (wasActive)
                    {
                        LogDeactivated(username);
                        deactivated++;
                    }

                    continue;
                }

                var applied = await accounts.ApplyAsync(entry, settings, isLogin: false, cancellationToken);
                added += applied.TeamsAdded;
                removed += applied.TeamsRemoved;
            }

            return new LdapSyncResult(users.Count, deactivated, added, removed, failed, null);
        }
    }

    [LoggerMessage(EventId = 5111, Level = LogLevel.Information, Message = "LDAP sync: {Checked} users checked, {Deactivated} deactivated, {Added} team memberships added, {Removed} removed, {Failed} lookups failed")]
    private partial void LogSynced(int @checked, int deactivated, int added, int removed, int failed);

    [LoggerMessage(EventId = 5112, Level = LogLevel.Warning, Message = "LDAP sync did not run: {Reason}")]
    private partial void LogSyncFailed(string reason);

    [LoggerMessage(EventId = 5113, Level = LogLevel.Warning, Message = "LDAP sync could not look up {Username}: {Reason}")]
    private partial void LogLookupFailed(string username, string reason);

    [LoggerMessage(EventId = 5114, Level = LogLevel.Information, Message = "LDAP user {Username} is gone from the directory and was deactivated")]
    private partial void LogDeactivated(string username);
}
