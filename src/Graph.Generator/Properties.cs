using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Graph.Tests")]
