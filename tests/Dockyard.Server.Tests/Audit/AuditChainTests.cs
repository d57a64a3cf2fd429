using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Tests.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Tests.Audit;

/// <summary>Tamper evidence: edits, deletions and reordering are found by verify; pruning behind a checkpoint is not.</summary>
public abstract class AuditChainTests(TestDatabase database) : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private InProcessDockyard _server = null!;

    public async Task InitializeAsync()
    {
        _server = await InProcessDockyard.StartAsync(database: database);

        // Start from an empty chain: the first start records its own entries (the bootstrap administrator).
        await AuditTestServer.ClearAsync(_server.Services);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Verify_UntouchedChain_IsOkWithCount()
    {
        await AppendAsync(10);
        var result = await VerifyAsync();
        Assert.True(result.Ok, result.Reason);
        Assert.Equal(10, result.Checked);
        Assert.Equal(10, result.LastId);
    }

    [Fact]
    public async Task Verify_EditedRow_NamesThatRow()
    {
        await AppendAsync(10);
        await SqlAsync("UPDATE audit_entries SET actor_name = 'mallory' WHERE id = 5");
        var result = await VerifyAsync();
        Assert.False(result.Ok);
        Assert.Equal(5, result.BrokenId);
        Assert.Contains("hash mismatch", result.Reason, StringComparison.Ordinal);
        Assert.Equal(4, result.Checked);
    }

    [Fact]
    public async Task Verify_EditedRowWithRecomputedHash_NamesTheNextRow()
    {
        await AppendAsync(10);
        await using (var db = await Contexts.CreateDbContextAsync())
        {
            var entry = await db.AuditEntries.SingleAsync(e => e.Id == 5);
            var previous = await db.AuditEntries.SingleAsync(e => e.Id == 4);
            entry.Outcome = AuditOutcomes.Failed;
            entry.Hash = AuditChain.ToHex(AuditChain.Hash(Convert.FromHexString(previous.Hash), entry));
            await db.SaveChangesAsync();
        }

        var result = await VerifyAsync();
        Assert.Equal(6, result.BrokenId);
    }

    [Fact]
    public async Task Verify_DeletedRow_NamesTheGap()
    {
        await AppendAsync(10);
        await SqlAsync("DELETE FROM audit_entries WHERE id = 5");
        var result = await VerifyAsync();
        Assert.False(result.Ok);
        Assert.Equal(6, result.BrokenId);
        Assert.Contains("5..5 are missing", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_DeletedFirstRowWithoutCheckpoint_IsBroken()
    {
        await AppendAsync(3);
        await SqlAsync("DELETE FROM audit_entries WHERE id = 1");
        var result = await VerifyAsync();
        Assert.Equal(2, result.BrokenId);
    }

    [Fact]
    public async Task Verify_ReorderedRows_NamesTheFirstMovedRow()
    {
        await AppendAsync(10);
        await SqlAsync("UPDATE audit_entries SET id = -1 WHERE id = 4; UPDATE audit_entries SET id = 4 WHERE id = 5; UPDATE audit_entries SET id = 5 WHERE id = -1;");
        var result = await VerifyAsync();
        Assert.False(result.Ok);
        Assert.Equal(4, result.BrokenId);
    }

    [Fact]
    public async Task Prune_WithCheckpoint_KeepsVerifyOk()
    {
        await AppendAsync(10);
        var pruned = await _server.GetRequiredService<AuditPruner>().PruneAsync(Start.AddMinutes(5), CancellationToken.None);
        Assert.Equal(5, pruned);
        var result = await VerifyAsync();
        Assert.True(result.Ok, result.Reason);
        Assert.Equal(6, result.Checked);

        // Entries appended later and a second prune (the first checkpoint is newer than its cut-off and stays) still verify.
        await AppendAsync(3, Start.AddMinutes(30));
        Assert.Equal(5, await _server.GetRequiredService<AuditPruner>().PruneAsync(Start.AddMinutes(20), CancellationToken.None));
        result = await VerifyAsync();
        Assert.True(result.Ok, result.Reason);
        Assert.Equal(5, result.Checked);
    }

    [Fact]
    public async Task Prune_CheckpointDeleted_IsBroken()
    {
        await AppendAsync(10);
        await _server.GetRequiredService<AuditPruner>().PruneAsync(Start.AddMinutes(5), CancellationToken.None);
        await SqlAsync("DELETE FROM audit_entries WHERE action = 'audit.checkpoint'");
        var result = await VerifyAsync();
        Assert.False(result.Ok);
        Assert.Equal(6, result.BrokenId);
    }

    [Fact]
    public async Task Append_Concurrent_KeepsAGaplessVerifiableSequence()
    {
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => AppendAsync(25)));
        var result = await VerifyAsync();
        Assert.True(result.Ok, result.Reason);
        Assert.Equal(200, result.Checked);
    }

    [Fact]
    public async Task Verify_RestoreEntryOpeningANewIdRange_IsOkAndTheChainContinues()
    {
        await AppendAsync(10);
        var id = await RestoreAsync(afterId: 10, AuditIdRange.NextRangeStart);
        Assert.Equal(AuditIdRange.RangeSize, id);
        await AppendAsync(2, Start.AddHours(1));
        var result = await VerifyAsync();
        Assert.True(result.Ok, result.Reason);
        Assert.Equal(13, result.Checked);
        Assert.Equal(AuditIdRange.RangeSize + 2, result.LastId);
    }

    [Fact]
    public async Task Verify_GapBeforeARestoreEntryNamingAnotherId_IsBroken()
    {
        await AppendAsync(10);
        await RestoreAsync(afterId: 10, AuditIdRange.NextRangeStart);

        // The last entry before the restore is deleted: the restore entry no longer follows the id it names.
        await SqlAsync("DELETE FROM audit_entries WHERE id = 10");
        var result = await VerifyAsync();
        Assert.False(result.Ok);
        Assert.Equal(AuditIdRange.RangeSize, result.BrokenId);
        Assert.Contains("10..4294967295 are missing", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_GapAfterARestoreEntry_IsBroken()
    {
        await AppendAsync(10);
        await RestoreAsync(afterId: 10, AuditIdRange.NextRangeStart);
        await AppendAsync(3, Start.AddHours(1));
        await SqlAsync($"DELETE FROM audit_entries WHERE id = {AuditIdRange.RangeSize + 1}");
        var result = await VerifyAsync();
        Assert.False(result.Ok);
        Assert.Equal(AuditIdRange.RangeSize + 2, result.BrokenId);
    }

    [Fact]
    public async Task Verify_GapBeforeAnEntryThatOnlyClaimsToBeARestore_IsBroken()
    {
        // A gap is accepted only before system.restore: the same details on another action do not open a range.
        await AppendAsync(10);
        var entry = Entry(Start.AddHours(1));
        entry.Details = $"{{\"{AuditIdRange.AfterIdField}\":10}}";
        await _server.GetRequiredService<AuditWriter>().AppendOpeningRangeAsync(entry, AuditIdRange.NextRangeStart, CancellationToken.None);
        var result = await VerifyAsync();
        Assert.False(result.Ok);
        Assert.Equal(AuditIdRange.RangeSize, result.BrokenId);
    }

    [Fact]
    public async Task Prune_UpToARestoreEntry_KeepsVerifyOk()
    {
        await AppendAsync(10);
        await RestoreAsync(afterId: 10, AuditIdRange.NextRangeStart);
        await AppendAsync(2, Start.AddHours(2));
        Assert.Equal(10, await _server.GetRequiredService<AuditPruner>().PruneAsync(Start.AddMinutes(30), CancellationToken.None));
        var result = await VerifyAsync();
        Assert.True(result.Ok, result.Reason);
    }

    [Fact]
    public void RestoreEntryId_IsTheNextMultipleOf2To32_OrAfterTheSiemsHighestId()
    {
        Assert.Equal(1L << 32, AuditIdRange.RestoreEntryId(0, null));
        Assert.Equal(1L << 32, AuditIdRange.RestoreEntryId((1L << 32) - 1, null));
        Assert.Equal(2L << 32, AuditIdRange.RestoreEntryId(1L << 32, null));
        Assert.Equal(901, AuditIdRange.RestoreEntryId(500, knownHighestId: 900));
        Assert.Equal(501, AuditIdRange.RestoreEntryId(500, knownHighestId: 300));
    }

    private Task<long> RestoreAsync(long afterId, Func<long, long> idOf)
    {
        var entry = Entry(Start.AddMinutes(45));
        entry.Action = AuditActions.SystemRestore;
        entry.Details = $"{{\"{AuditIdRange.AfterIdField}\":{afterId}}}";
        return _server.GetRequiredService<AuditWriter>().AppendOpeningRangeAsync(entry, idOf, CancellationToken.None);
    }

    private IDbContextFactory<DockyardDbContext> Contexts => _server.GetRequiredService<IDbContextFactory<DockyardDbContext>>();

    private Task<AuditVerification> VerifyAsync() => _server.GetRequiredService<AuditVerifier>().VerifyAsync(null, CancellationToken.None);

    private async Task SqlAsync(string sql)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        await db.Database.ExecuteSqlRawAsync(sql);
    }

    private Task AppendAsync(int count, DateTimeOffset? from = null) =>
        _server.GetRequiredService<AuditWriter>().AppendAsync(
            [.. Enumerable.Range(0, count).Select(i => Entry((from ?? Start).AddMinutes(i)))],
            CancellationToken.None);

    internal static AuditEntryEntity Entry(DateTimeOffset time, string? userAgent = null, string repository = "acme/app") => new()
    {
        Time = time,
        ActorKind = "user",
        ActorName = "alice",
        ActorId = 7,
        AuthMethod = "password",
        SourceIp = "192.0.2.10",
        UserAgent = userAgent ?? "docker/27.0",
        Action = AuditActions.ManifestPush,
        Repository = repository,
        Reference = "v1",
        Digest = "sha256:" + new string('a', 64),
        Organization = AuditEvent.NamespaceOf(repository),
        Outcome = AuditOutcomes.Success,
        RequestId = Guid.NewGuid().ToString("N"),
        Hash = string.Empty,
    };
}
