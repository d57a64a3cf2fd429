using Dockyard.Server.Access;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Search;

/// <summary>
/// Searches the index for one principal. Permission filtering is not restated here: the matches are joined with
/// <see cref="RepositoryAccessRules.PullableAsync"/>, the query every repository list uses, so a repository the caller
/// may not pull is never a result, nor are its tags, labels or description (suggestions are drawn from results).
/// Reads only: nothing is audited. Ranking: SQLite FTS5's bm25 with per-column weights (name 10, tags 5, labels and
/// image 3, description 2, annotations 1); PostgreSQL's ts_rank over the weighted tsvector plus the trigram similarity
/// of the name. Ties and filter-only searches: most recently pushed first, then by name.
/// </summary>
internal sealed class SearchService(IDbContextFactory<DockyardDbContext> contexts)
{
    /// <summary>At most this many suggestions.</summary>
    public const int MaxSuggestions = 8;

    public async Task<SearchResultView> SearchAsync(Principal principal, SearchRequest request, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var pullable = await (await RepositoryAccessRules.ResolveAsync(db, principal, cancellationToken)).PullableAsync(cancellationToken);
        var documents = Filter(db.SearchDocuments.AsNoTracking(), request);

        IQueryable<Hit> hits;
        if (request.Words.Count == 0)
        {
            hits = from d in documents
                   join r in pullable on d.Repository equals r.Name
                   orderby d.LastPushedAt descending, d.Repository
                   select new Hit { Document = d, Repository = r };
        }
        else
        {
            hits = from m in Matches(db, request.Words)
                   join d in documents on m.Id equals d.Id
                   join r in pullable on d.Repository equals r.Name
                   orderby m.Rank descending, d.LastPushedAt descending, d.Repository
                   select new Hit { Document = d, Repository = r };
        }

        var rows = hits.Select(h => new Row(
            h.Document.Repository, h.Document.RecentTags, h.Document.TagCount, h.Document.Platforms, h.Document.LastPushedAt, h.Document.Signed,
            h.Repository.Description, h.Repository.Visibility));
        var page = await rows.Skip(request.Offset).Take(request.Limit + 1).ToListAsync(cancellationToken);
        var items = page.Take(request.Limit).Select(ToView).ToList();
        return new SearchResultView(items, request.Offset, request.Limit, page.Count > request.Limit);
    }

    /// <summary>
    /// Completions for a search box: the best matching repositories, and tags among their recent tags with a word that
    /// starts with the last word typed (<c>repository:tag</c>). Drawn from <see cref="SearchAsync"/>, so equally permission-filtered.
    /// </summary>
    public async Task<IReadOnlyList<string>> SuggestAsync(Principal principal, string? q, CancellationToken cancellationToken)
    {
        var words = SearchText.QueryWords(q);
        if (words.Count == 0)
        {
            return [];
        }

        var result = await SearchAsync(principal, new SearchRequest { Words = words, Limit = MaxSuggestions }, cancellationToken);
        var last = words[^1];
        var suggestions = new List<string>();
        foreach (var hit in result.Items)
        {
            suggestions.Add(hit.Repository);
            suggestions.AddRange(hit.Tags.Where(t => SearchText.Words(t).Any(w => w.StartsWith(last, StringComparison.Ordinal))).Take(2).Select(t => hit.Repository + ":" + t));
        }

        return [.. suggestions.Take(MaxSuggestions)];
    }

    private static IQueryable<SearchDocumentEntity> Filter(IQueryable<SearchDocumentEntity> documents, SearchRequest request)
    {
        if (request.Organization is { } organization)
        {
            documents = documents.Where(d => d.Organization == organization);
        }

        if (request.LabelKey is { } key)
        {
            var line = "\n" + key + "=" + request.LabelValue + "\n";
            documents = documents.Where(d => d.Labels.Contains(line));
        }

        if (request.Architecture is { } architecture)
        {
            var word = " " + architecture + " ";
            documents = documents.Where(d => d.Architectures.Contains(word));
        }

        if (request.Since is { } since)
        {
            documents = documents.Where(d => d.LastPushedAt >= since);
        }

        if (request.Signed is { } signed)
        {
            documents = documents.Where(d => d.Signed == signed);
        }

        return documents;
    }

    /// <summary>
    /// The documents matching every word as a prefix, with a score (higher is better), as a query to compose with.
    /// The expression holds only letters, digits and the syntax added here (<see cref="SearchText"/>), and is passed
    /// as a parameter.
    /// </summary>
    private static IQueryable<SearchMatch> Matches(DockyardDbContext db, IReadOnlyList<string> words)
    {
        if (db.Database.IsSqlite())
        {
            var expression = SearchText.Fts5Expression(words);
            return db.Database.SqlQuery<SearchMatch>(
                $"""SELECT rowid AS "Id", -bm25(search_fts, 10.0, 2.0, 5.0, 3.0, 1.0, 3.0) AS "Rank" FROM search_fts WHERE search_fts MATCH {expression}""");
        }

        var tsquery = SearchText.TsQueryExpression(words);
        var text = string.Join(' ', words);
        return db.Database.SqlQuery<SearchMatch>(
            $"""SELECT d.id AS "Id", CAST(ts_rank(d.document, q) + similarity(d.name_words, {text}) AS double precision) AS "Rank" FROM search_documents d, to_tsquery('simple', {tsquery}) q WHERE d.document @@ q""");
    }

    private static SearchHitView ToView(Row row) => new(
        row.Repository,
        row.Description,
        row.Visibility == RepositoryVisibility.Public ? "public" : "private",
        row.RecentTags.Split(',', StringSplitOptions.RemoveEmptyEntries),
        row.TagCount,
        row.Platforms.Split(',', StringSplitOptions.RemoveEmptyEntries),
        row.LastPushedAt,
        row.Signed);

    /// <summary>A match in its order, before the projection to <see cref="Row"/> (member-initialized, so EF can bind through it).</summary>
    private sealed class Hit
    {
        public required SearchDocumentEntity Document { get; init; }

        public required RepositoryEntity Repository { get; init; }
    }

    /// <summary>
    /// Only the columns a hit shows: the sort carries every selected column of every match, and with the word columns
    /// (up to 32 KiB each) the query for a common word took 29 ms instead of 15 (bench/search.sh's installation).
    /// </summary>
    private sealed record Row(
        string Repository,
        string RecentTags,
        int TagCount,
        string Platforms,
        DateTimeOffset? LastPushedAt,
        bool Signed,
        string? Description,
        RepositoryVisibility Visibility);
}

/// <summary>A full-text match: the document's id and its score (higher is better); read by <c>SqlQuery</c>.</summary>
internal sealed class SearchMatch
{
    public long Id { get; set; }

    public double Rank { get; set; }
}
