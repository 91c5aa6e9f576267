using Graph.Samples.Chapter03;
using Graph.Samples.Chapter04;
using Graph.Samples.Chapter05;
using Graph.Samples.Chapter06;
using Graph.Samples.Chapter08;
using Graph.Samples.Chapter09;
using Graph.Samples.Chapter10;
using Graph.Samples.Chapter11;
using Graph.Samples.Chapter12;
using Graph.Samples.Chapter13;
using Graph.Samples.Chapter14;
using Graph.Samples.Chapter15;

namespace Graph.Samples.Examples;

/// <summary>A chapter of the book and its examples, in the book's order.</summary>
public sealed record ChapterEntry(string Name, string Title, IReadOnlyList<IExample> Examples);

/// <summary>Every chapter and example the samples can run.</summary>
public static class ExampleRegistry
{
    /// <summary>The chapters in order.</summary>
    public static IReadOnlyList<ChapterEntry> Chapters { get; } =
    [
        new(Chapter03Examples.ChapterId, Chapter03Examples.ChapterTitle, Chapter03Examples.All),
        new(Chapter04Examples.ChapterId, Chapter04Examples.ChapterTitle, Chapter04Examples.All),
        new(Chapter05Examples.ChapterId, Chapter05Examples.ChapterTitle, Chapter05Examples.All),
        new(Chapter06Examples.ChapterId, Chapter06Examples.ChapterTitle, Chapter06Examples.All),
        new(Chapter08Examples.ChapterId, Chapter08Examples.ChapterTitle, Chapter08Examples.All),
        new(Chapter09Examples.ChapterId, Chapter09Examples.ChapterTitle, Chapter09Examples.All),
        new(Chapter10Examples.ChapterId, Chapter10Examples.ChapterTitle, Chapter10Examples.All),
        new(Chapter11Examples.ChapterId, Chapter11Examples.ChapterTitle, Chapter11Examples.All),
        new(Chapter12Examples.ChapterId, Chapter12Examples.ChapterTitle, Chapter12Examples.All),
        new(Chapter13Examples.ChapterId, Chapter13Examples.ChapterTitle, Chapter13Examples.All),
        new(Chapter14Examples.ChapterId, Chapter14Examples.ChapterTitle, Chapter14Examples.All),
        new(Chapter15Examples.ChapterId, Chapter15Examples.ChapterTitle, Chapter15Examples.All),
    ];

    /// <summary>Every example, chapter by chapter.</summary>
    public static IEnumerable<IExample> All => Chapters.SelectMany(c => c.Examples);

    /// <summary>The chapter named <paramref name="name"/> (<c>ch06</c>; <c>6</c>, <c>06</c> and <c>chapter6</c> also work), or null.</summary>
    public static ChapterEntry? FindChapter(string name)
    {
        string key = name.Trim().ToLowerInvariant();
        key = key.StartsWith("chapter", StringComparison.Ordinal) ? key["chapter".Length..]
            : key.StartsWith("ch", StringComparison.Ordinal) ? key[2..]
            : key;
        return int.TryParse(key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int number)
            ? Chapters.FirstOrDefault(c => c.Name == $"ch{number:00}")
            : null;
    }

    /// <summary>The example <paramref name="name"/> of <paramref name="chapter"/> (by name, alias or book id, e.g. <c>E6.5</c>), or null.</summary>
    public static IExample? FindExample(ChapterEntry chapter, string name) =>
        chapter.Examples.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? chapter.Examples.FirstOrDefault(e => e.Aliases.Contains(name, StringComparer.OrdinalIgnoreCase))
        ?? chapter.Examples.FirstOrDefault(e => e.BookId.Split('/').Contains(name, StringComparer.OrdinalIgnoreCase));

    /// <summary>The chapters' numbers as ranges, e.g. <c>3 to 6 and 8 to 15</c>.</summary>
    public static string ChapterNumbers() => Ranges(Chapters.Select(c => Number(c.Name)));

    /// <summary>
    /// The chapters with an example that takes <paramref name="knob"/>, e.g. <c>chapters 8 to 11</c> or
    /// <c>ch15 secure-aggregation</c> when one example alone takes it.
    /// </summary>
    public static string ChaptersTaking(ExampleKnobs knob)
    {
        var takers = All.Where(e => e.Knobs.HasFlag(knob)).ToList();
        if (takers.Count == 1)
        {
            return $"{takers[0].Chapter} {takers[0].Name}";
        }

        var numbers = takers.Select(e => Number(e.Chapter)).Distinct().ToList();
        return (numbers.Count == 1 ? "chapter " : "chapters ") + Ranges(numbers);
    }

    /// <summary>The number of a chapter name: 8 for <c>ch08</c>.</summary>
    private static int Number(string chapter) => int.Parse(chapter.AsSpan(2), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Numbers in ascending order, three or more in a row as a range: <c>3 to 6, 8 and 10 to 15</c>.</summary>
    private static string Ranges(IEnumerable<int> numbers)
    {
        var runs = new List<string>();
        var sorted = numbers.Order().ToList();
        for (int i = 0; i < sorted.Count;)
        {
            int end = i;
            while (end + 1 < sorted.Count && sorted[end + 1] == sorted[end] + 1)
            {
                end++;
            }

            if (end - i >= 2)
            {
                runs.Add($"{sorted[i]} to {sorted[end]}");
            }
            else
            {
                runs.AddRange(sorted[i..(end + 1)].Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }

            i = end + 1;
        }

        return runs.Count == 1 ? runs[0] : string.Join(", ", runs[..^1]) + " and " + runs[^1];
    }

    /// <summary>Writes every chapter and example with a one-line description and the options each takes.</summary>
    public static void WriteList(TextWriter output)
    {
        int width = All.Max(e => e.Name.Length);
        foreach (var chapter in Chapters)
        {
            output.WriteLine($"{chapter.Name}  {chapter.Title}");
            foreach (var example in chapter.Examples)
            {
                string options = example.Knobs == ExampleKnobs.None ? string.Empty : $" [{ExampleOptions.Names(example.Knobs)}]";
                string aliases = example.Aliases.Count == 0 ? string.Empty : $" (also: {string.Join(", ", example.Aliases)})";
                output.WriteLine($"  {example.Name.PadRight(width)}  {example.BookId,-9}  {example.Description}{aliases}{options}");
            }
        }
    }
}
