namespace Dockyard.Server.Data.Entities;

/// <summary>
/// One repository as search sees it (<c>search_documents</c>), derived from the registry tables and the images'
/// configs by <c>Search/SearchIndexer</c>; never the source of truth. The <c>*Words</c> columns hold lower-case letters
/// and digits separated by single spaces, so SQLite FTS5 (<c>search_fts</c>, kept in step by triggers) and PostgreSQL's
/// <c>document</c> tsvector (a generated column) see the same words.
/// </summary>
internal sealed class SearchDocumentEntity
{
    /// <summary>The FTS5 rowid: an INTEGER PRIMARY KEY, which VACUUM never renumbers.</summary>
    public long Id { get; set; }

    public required string Repository { get; set; }

    /// <summary>The repository's namespace (first path component): the organization or user it belongs to.</summary>
    public required string Organization { get; set; }

    public string NameWords { get; set; } = string.Empty;

    public string DescriptionWords { get; set; } = string.Empty;

    public string TagWords { get; set; } = string.Empty;

    public string LabelWords { get; set; } = string.Empty;

    public string AnnotationWords { get; set; } = string.Empty;

    /// <summary>Operating systems, architectures, variants and base image names.</summary>
    public string ImageWords { get; set; } = string.Empty;

    /// <summary>Every tagged image's labels as <c>\nkey=value\n</c> lines, matched exactly by the <c>label</c> filter.</summary>
    public string Labels { get; set; } = string.Empty;

    /// <summary>Architectures as <c> amd64 arm64 </c> (space-delimited, padded), matched whole by the <c>arch</c> filter.</summary>
    public string Architectures { get; set; } = string.Empty;

    /// <summary>Platforms for display, comma-separated (<c>linux/amd64,linux/arm64</c>).</summary>
    public string Platforms { get; set; } = string.Empty;

    /// <summary>The most recently pushed tags (signature tags aside), newest first, comma-separated, for display.</summary>
    public string RecentTags { get; set; } = string.Empty;

    public int TagCount { get; set; }

    /// <summary>When a tag last moved; null for a repository without tags.</summary>
    public DateTimeOffset? LastPushedAt { get; set; }

    /// <summary>A tagged image carries a signature (a cosign <c>.sig</c> tag or a signature referrer); not verified here.</summary>
    public bool Signed { get; set; }

    public DateTimeOffset IndexedAt { get; set; }
}
