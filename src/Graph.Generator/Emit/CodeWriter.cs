using System.Text;

namespace Graph.Generator.Emit;

/// <summary>Writes indented C# source; every generated file goes through one.</summary>
internal sealed class CodeWriter
{
    private readonly StringBuilder text = new();
    private readonly List<string> members = new();
    private int depth;

    /// <summary>Keeps a member that a method body needs (a split loop's struct), written at <see cref="WriteMembers"/>.</summary>
    public void AddMember(string member) => members.Add(member);

    /// <summary>Writes the members kept by <see cref="AddMember"/>, in order, each after a blank line, indented here.</summary>
    public void WriteMembers()
    {
        foreach (string member in members)
        {
            Line();
            foreach (string line in member.TrimEnd('\n').Split('\n'))
            {
                Line(line);
            }
        }

        members.Clear();
    }

    public CodeWriter Line(string line = "")
    {
        if (line.Length > 0)
        {
            text.Append(' ', depth * 4);
        }

        text.Append(line).Append('\n');
        return this;
    }

    /// <summary>Writes <paramref name="header"/> and an opening brace; disposing the result closes it.</summary>
    public IDisposable Block(string header, string closing = "}")
    {
        Line(header);
        Line("{");
        depth++;
        return new Closer(this, closing);
    }

    /// <summary>Opens a bare block (for locals that must not clash with the next kernel's); disposing the result closes it.</summary>
    public IDisposable Scope()
    {
        Line("{");
        depth++;
        return new Closer(this, "}");
    }

    public override string ToString() => text.ToString();

    private sealed class Closer : IDisposable
    {
        private readonly CodeWriter writer;
        private readonly string closing;

        public Closer(CodeWriter writer, string closing)
        {
            this.writer = writer;
            this.closing = closing;
        }

        public void Dispose()
        {
            writer.depth--;
            writer.Line(closing);
        }
    }
}
