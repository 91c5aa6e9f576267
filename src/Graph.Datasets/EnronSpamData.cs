namespace Graph.Datasets;

/// <summary>The spam and ham e-mails of Enron-Spam, each the text of one line of its file (without the <c>'\n'</c>).</summary>
public sealed class EnronSpamData
{
    /// <summary>Creates the set from the two lists of lines.</summary>
    public EnronSpamData(IReadOnlyList<string> spam, IReadOnlyList<string> ham)
    {
        ArgumentNullException.ThrowIfNull(spam);
        ArgumentNullException.ThrowIfNull(ham);
        Spam = spam;
        Ham = ham;
    }

    /// <summary>The spam e-mails, in file order.</summary>
    public IReadOnlyList<string> Spam { get; }

    /// <summary>The ham e-mails, in file order.</summary>
    public IReadOnlyList<string> Ham { get; }
}
