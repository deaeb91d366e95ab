"""Every limit the product puts on a user's settings, each defined once with its reason.

Widgets, URL parsers, text grammars and the math all read these names, so a setting the
page allows is one the parser accepts and the math computes.
"""

from __future__ import annotations

# A kernel of up to 15 x 15 still prints as a grid of readable numbers on a projected
# page; beyond it nobody checks the cells by hand. cv2.filter2D switches to its DFT path
# at 11 x 11, so 15 x 15 stays within the conv2d speed budget (12 ms at 1024 x 1024).
MAX_KERNEL_SIZE = 15

# Stride 8 shrinks a 1024-pixel image to 128 outputs: every step beyond it leaves maps
# too small to see on the smallest working size (128 px -> 16 outputs).
MAX_STRIDE = 8

# Padding up to the largest kernel's width: enough for "full" convolution of a 15 x 15
# kernel (14 per side) plus one, the most any lesson needs.
MAX_PADDING = 15

# Dilation 8 spreads a 3 x 3 kernel over 17 pixels and a 15 x 15 over 113: already more
# than the 128-pixel working size can hold.
MAX_DILATION = 8

# Pooling windows larger than 8 x 8 erase a 128-pixel map to a few cells.
MAX_POOL_WINDOW = 8

# Layers a stack may hold when it runs on the image (the Layer stack page): six layers of
# up to 32 filters keep one rerun under a second at 256 px on two cores.
MAX_STACK_LAYERS = 6
MAX_STACK_FILTERS = 32

# Layers a geometry-only stack may hold (the Receptive field page computes numbers and
# one gradient): VGG-16's 18 convolution and pooling layers fit with room to spare.
MAX_GEOMETRY_LAYERS = 24

# Seeds of random kernels and random layers: five digits are easy to read out in class.
MAX_SEED = 99_999

# A row or column picked on a map: the largest working size is 1024 pixels, padding can
# add up to 2 * MAX_PADDING, and ceil mode one more; 4095 leaves room and fits in a URL.
MAX_POSITION = 4095

# A value typed into a kernel cell: beyond a million, float32 sums of 225 products lose
# the digits the page prints.
MAX_KERNEL_VALUE = 1e6

# The longest side an image is worked at (the working-size choices), and what an
# uploaded picture may have before decoding: 50 megapixels decode in about a second and
# take 600 MB as float32 RGB, the most one student may cost the server at once.
WORKING_SIZES = (128, 256, 512, 1024)
MAX_WORKING_SIZE = WORKING_SIZES[-1]  # a loaded picture is downscaled to this longest side
MAX_IMAGE_PIXELS = 50_000_000

# An uploaded file: a 12-megapixel phone JPEG is 3-8 MB, a camera's PNG up to ~20 MB.
MAX_UPLOAD_MB = 20

# The small worked examples (Convolution as matrix multiplication, Transposed
# convolution): an 8 x 8 input with a 5 x 5 kernel gives an im2col matrix of 25 x 16 and a
# convolution matrix of up to 144 x 64 cells, still readable one number at a time.
MAX_SMALL_INPUT = 8
MAX_SMALL_KERNEL = 5

# Sessions training at once on one server (the Training and Your classes pages): each
# keeps one core busy, so a 2-core classroom server stays responsive for everyone else.
MAX_TRAINING_SESSIONS = 2
# A live training run stops by itself after this many steps (about 25 epochs of the 4,000
# digits), and when its page has not been seen for this many seconds (the tab was closed).
MAX_TRAINING_STEPS = 1600
TRAINING_HEARTBEAT_SECONDS = 30

# Pictures one class may hold on the Your classes page, and classes one model may have:
# 60 snapshots teach a gesture or an object well; 5 classes fit a projected screen.
MAX_CLASS_EXAMPLES = 60
MIN_CLASSES, MAX_CLASSES = 2, 5

# Pictures the Compare page shows side by side, and how many of them may be uploads: a row
# of four reads well on a projector; eight are two rows.
MAX_COMPARE_PICTURES = 8
MAX_COMPARE_UPLOADS = 4

# What one server process keeps of the results every session may share (a sample's or
# the teacher's shared picture's feature maps and encoded pictures, app/widgets/
# shared_results.py): the Convolution page's default view holds 1.5 MB of them, one at
# 1024 px with each colour channel alone 6-9 MB (measured on the coffee sample), so 128
# MB keeps the last 15 to 80 views of the classes on the server, about what six students'
# 12-megapixel uploads cost it.
MAX_SHARED_RESULTS_MB = 128

# --- A user's own model (cnn_core.nn.open_model): ONNX files and .safetensors weights ----
# A model file or weights file: ResNet-50 is 98 MB as ONNX or safetensors, ConvNeXt-Tiny
# 110 MB; the file's bytes and the model built from them both stay in the session's
# memory, so 120 MB keeps one user's model near 250 MB (VGG-16's 528 MB would not fit).
MAX_MODEL_FILE_MB = 120
# Parameters of a model: ResNet-50 has 25.6 million, ConvNeXt-Tiny 28.6 million; 30
# million float32 weights are 120 MB, the file limit above, and a forward pass at 224 px
# still takes well under a second on two cores.
MAX_MODEL_PARAMETERS = 30_000_000
# The longest side of the image a model takes: the largest working size, since every
# picture the pages show is worked at most that big.
MAX_MODEL_INPUT_SIDE = 1024
# The fewest pixels per side: below 8 the feature maps are a few cells and a declared
# 0 or 1 is a damaged or non-image input.
MIN_MODEL_INPUT_SIDE = 8
# Channels of the image a model takes: grey (1), RGB (3) or RGBA (4); our pictures have
# nothing more to give.
MAX_MODEL_INPUT_CHANNELS = 4
# Nodes of an ONNX graph: ResNet-50 exports as about 180, EfficientNet-B0 about 300, and
# 5,000 nodes still convert in a couple of seconds while a page waits.
MAX_MODEL_NODES = 5_000
# Values in one intermediate tensor of an ONNX graph, for one image: 64 maps of the
# largest input side (256 MB as float32). Checked from the layer's settings before it runs,
# so an absurd stride or padding in a file is refused instead of exhausting the server.
MAX_MODEL_VALUES = 64 * MAX_MODEL_INPUT_SIDE * MAX_MODEL_INPUT_SIDE
# A class-names file for a user's model (cnn_core.class_names): ImageNet-21k's 21,843
# names take about 400 kB as text; a names file is read whole, in memory.
MAX_CLASS_NAMES_FILE_KB = 1024
MAX_CLASS_NAMES = 30_000
# One name: long enough for "n01440764, tench, Tinca tinca" style lines, short enough for
# the answer's bars.
MAX_CLASS_NAME_LENGTH = 200
