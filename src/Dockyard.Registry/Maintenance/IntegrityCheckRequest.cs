namespace Dockyard.Registry.Maintenance;

/// <summary>What <see cref="IntegrityChecker"/> checks and where it reports.</summary>
public sealed record IntegrityCheckRequest
{
    /// <summary>Only this repository (its tags, manifests, blobs and storage links); null for everything.</summary>
    public RepositoryName? Repository { get; init; }

    /// <summary>Re-hash every blob's bytes (slow: reads all of storage). Off checks existence and size only.</summary>
    public bool VerifyDigests { get; init; } = true;

    /// <summary>
    /// Storage links and tag rows younger than this are skipped by the storage-versus-index comparison: a push in
    /// flight writes the manifest link before its row and the tag link after its row.
    /// </summary>
    public TimeSpan InFlightAge { get; init; } = TimeSpan.FromMinutes(5);

    public IProgress<IntegrityProgress>? Progress { get; init; }

    /// <summary>Receives each problem as it is found.</summary>
    public Action<IntegrityProblem>? OnProblem { get; init; }
}
