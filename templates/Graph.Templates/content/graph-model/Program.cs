using GraphModel1;

// Points drawn uniformly from the square [-2, 2]², labelled 1 inside the circle of radius 1.6 (about half of them).
const int Samples = 1024;
const int Batch = 32;
const float RadiusSquared = 1.6f * 1.6f;
var random = new Random(1);
var points = new float[Samples * 2];
var labels = new float[Samples];
for (int i = 0; i < Samples; i++)
{
    float x = 4 * random.NextSingle() - 2, y = 4 * random.NextSingle() - 2;
    points[2 * i] = x;
    points[2 * i + 1] = y;
    labels[i] = x * x + y * y < RadiusSquared ? 1 : 0;
}

var model = new CircleClassifier(seed: 1);
for (int epoch = 1; epoch <= 20; epoch++)
{
    float total = 0;
    for (int first = 0; first < Samples; first += Batch)
    {
        total += model.TrainStep(points.AsSpan(2 * first, 2 * Batch), labels.AsSpan(first, Batch), learningRate: 0.5f, batch: Batch);
    }

    Console.WriteLine($"epoch {epoch}: loss {total / (Samples / Batch):F4}");
}

var logits = new float[Samples];
model.Logit(points, logits, batch: Samples);
int correct = 0;
for (int i = 0; i < Samples; i++)
{
    correct += (logits[i] > 0) == (labels[i] == 1) ? 1 : 0;
}

Console.WriteLine($"accuracy: {correct} of {Samples}");
