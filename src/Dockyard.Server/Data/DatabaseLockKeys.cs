using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Dockyard.Server.Data;

/// <summary>
/// Keys for <see cref="DockyardDbContext.LockAsync"/>: the first 8 bytes of SHA-256 over a kind and the names,
/// so every replica (whatever its runtime) derives the same key. A collision only makes two unrelated writes wait
/// for each other. Lock order when several are taken: manifest before tag, tags in ordinal order.
/// </summary>
internal static class DatabaseLockKeys
{
    /// <summary>The audit chain: one appender at a time across all replicas.</summary>
    public static readonly long AuditChain = Hash("audit-chain");

    /// <summary>Creating the schema of a fresh database in one script (<see cref="DatabaseMigrator"/>).</summary>
    public static readonly long SchemaCreation = Hash("schema-creation");

    /// <summary>Changes that must keep an active system administrator and every organization's owner (<c>UserService</c>).</summary>
    public static readonly long AccountInvariants = Hash("account-invariants");

    /// <summary>
    /// Appending to <c>registry_outbox</c>: taken last in a write's transaction and held to its commit, so outbox ids
    /// become visible in id order (nothing is waited for while it is held, so it adds no lock-order cycle).
    /// </summary>
    public static readonly long RegistryOutbox = Hash("registry-outbox");

    public static long Tag(string repository, string tag) => Hash($"tag\0{repository}\0{tag}");

    public static long Manifest(string repository, string digest) => Hash($"manifest\0{repository}\0{digest}");

    private static long Hash(string value)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(value), hash);
        return BinaryPrimitives.ReadInt64BigEndian(hash);
    }
}
