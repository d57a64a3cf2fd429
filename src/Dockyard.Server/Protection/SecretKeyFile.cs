using System.Security.Cryptography;
using Dockyard.Server.Data;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Protection;

/// <summary>
/// The key that seals secrets in the database, kept outside it in a file (<see cref="SecretsOptions.KeyFile"/>, by
/// default <c>secrets.key</c> in the data directory, created 0600). Loaded once, on first use. A missing file is
/// created only when no store holds a sealed value: a new key could never open those, so then start-up fails and
/// says to restore the file instead.
/// </summary>
internal sealed partial class SecretKeyFile(
    IOptions<SecretsOptions> options,
    IOptions<DataDirectoryOptions> dataDirectory,
    IEnumerable<IProtectedSecretStore> stores,
    ILogger<SecretKeyFile> logger)
{
    public const int KeyLength = 32;
    public const string DefaultFileName = "secrets.key";

    private readonly Lock _gate = new();
    private SecretKey? _key;

    /// <summary>The key file's full path.</summary>
    public string Path => System.IO.Path.GetFullPath(string.IsNullOrWhiteSpace(options.Value.KeyFile)
        ? System.IO.Path.Combine(dataDirectory.Value.FullPath, DefaultFileName)
        : options.Value.KeyFile);

    /// <summary>The key; read (or, the first time, created) on first use.</summary>
    public SecretKey Key
    {
        get
        {
            if (Volatile.Read(ref _key) is { } key)
            {
                return key;
            }

            lock (_gate)
            {
                return _key ??= LoadOrCreate(Path);
            }
        }
    }

    /// <summary>The identifier of <paramref name="key"/>: 48 bits of its SHA-256, base64url (8 characters).</summary>
    public static string IdOf(ReadOnlySpan<byte> key) => System.Buffers.Text.Base64Url.EncodeToString(SHA256.HashData(key).AsSpan(0, 6));

    private SecretKey LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return Read(path);
        }

        var sealedIn = stores.Where(s => s.AnyProtected()).Select(s => s.Name).ToList();
        if (sealedIn.Count > 0)
        {
            throw new InvalidOperationException(
                $"The secrets key file {path} is missing, but the database holds secrets encrypted with a key ({string.Join(", ", sealedIn)}). " +
                $"Restore the key file from the backup taken with the database, or set {SecretsOptions.Section}:KeyFile to the file the other " +
                "replicas use. Dockyard does not create a new key while encrypted secrets exist: they could never be decrypted with it. " +
                "See docs/operations.md, \"Secrets key\".");
        }

        var bytes = RandomNumberGenerator.GetBytes(KeyLength);
        var directory = System.IO.Path.GetDirectoryName(path)!;
        PrivateFiles.CreateDirectory(directory);
        var temp = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, PrivateFiles.Options(FileMode.CreateNew, FileAccess.Write, FileShare.None)))
            {
                stream.Write(System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(bytes) + "\n"));
                stream.Flush(flushToDisk: true);
            }

            // No overwrite: a process that created the file meanwhile wins, and its key is the one used.
            File.Move(temp, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temp);
            return Read(path);
        }

        var key = new SecretKey(IdOf(bytes), bytes);
        LogCreated(logger, path, key.Id);
        return key;
    }

    private static SecretKey Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(File.ReadAllText(path).Trim());
        }
        catch (FormatException)
        {
            bytes = [];
        }

        return bytes.Length == KeyLength
            ? new SecretKey(IdOf(bytes), bytes)
            : throw new InvalidOperationException($"The secrets key file {path} does not hold a key: expected {KeyLength} bytes in base64 on one line.");
    }

    [LoggerMessage(EventId = 5200, Level = LogLevel.Warning, Message = "Created the secrets key file {Path} (key {KeyId}); back it up with the database: the secrets in the database cannot be decrypted without it")]
    private static partial void LogCreated(ILogger logger, string path, string keyId);
}
