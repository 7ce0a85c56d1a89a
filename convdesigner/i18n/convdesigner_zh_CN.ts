<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>ArchitectureDiagram</name>
    <message>
        <source>Architecture diagram</source>
        <translation>网络结构图</translation>
    </message>
    <message>
        <source>The design as a diagram: every box is a tensor (channels × height × width, log-scaled). Click a block to select it (or use Left / Right), drag it to move the layer (or Ctrl+Left / Ctrl+Right), click + to insert a layer. Right-click to export the diagram.</source>
        <translation>以图示表示的设计：每个方块是一个张量（通道 × 高 × 宽，按对数缩放）。单击方块即可选中（或用 Left / Right 键），拖动可移动该层（或用 Ctrl+Left / Ctrl+Right），单击 + 可插入一层。右击可导出结构图。</translation>
    </message>
    <message>
        <source>Insert as layer {index}:</source>
        <translation>插入为第 {index} 层：</translation>
    </message>
    <message>
        <source>Insert a {kind} layer here</source>
        <translation>在此处插入一个 {kind} 层</translation>
    </message>
    <message>
        <source>Export diagram as SVG…</source>
        <translation>将结构图导出为 SVG…</translation>
    </message>
    <message>
        <source>A vector drawing for papers and slides</source>
        <translation>矢量图，适用于论文和幻灯片</translation>
    </message>
    <message>
        <source>Export diagram as PNG…</source>
        <translation>将结构图导出为 PNG…</translation>
    </message>
    <message>
        <source>A picture at 3× screen resolution on a white background</source>
        <translation>白色背景、3 倍屏幕分辨率的图片</translation>
    </message>
    <message>
        <source>Export diagram as SVG</source>
        <translation>将结构图导出为 SVG</translation>
    </message>
    <message>
        <source>SVG drawing (*.svg)</source>
        <translation>SVG 矢量图 (*.svg)</translation>
    </message>
    <message>
        <source>Export diagram as PNG</source>
        <translation>将结构图导出为 PNG</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG 图片 (*.png)</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>Architecture of {name}</source>
        <translation>{name} 的网络结构</translation>
    </message>
    <message>
        <source>the design</source>
        <translation>该设计</translation>
    </message>
    <message>
        <source>Cannot write {path}</source>
        <translation>无法写入 {path}</translation>
    </message>
</context>
<context>
    <name>Autosaver</name>
    <message>
        <source>Autosave failed: {error}</source>
        <translation>自动保存失败：{error}</translation>
    </message>
</context>
<context>
    <name>ChannelTableModel</name>
    <message>
        <source>Channel {c}, row {y}, column {x}: {value}</source>
        <extracomment>The largest height and width per channel the grid edits.</extracomment>
        <translation>通道 {c}，第 {y} 行，第 {x} 列：{value}</translation>
    </message>
    <message>
        <source>Column {x}</source>
        <translation>第 {x} 列</translation>
    </message>
    <message>
        <source>Row {y}</source>
        <translation>第 {y} 行</translation>
    </message>
    <message>
        <source>“{text}” is not a number; the value stays {value}.</source>
        <translation>“{text}”不是数字；该值保持为 {value}。</translation>
    </message>
    <message>
        <source>Set input [{c}, {y}, {x}] to {value}</source>
        <translation>将输入 [{c}, {y}, {x}] 设为 {value}</translation>
    </message>
</context>
<context>
    <name>CheckerboardView</name>
    <message>
        <source>Where the stamps of a transposed convolution overlap</source>
        <translation>转置卷积的印章在哪里重叠</translation>
    </message>
    <message>
        <source>Add or select a ConvTranspose2d layer (with a valid shape) to see how many stamps land on each of its output pixels.</source>
        <translation>添加或选择一个（形状有效的）ConvTranspose2d 层，查看它的每个输出像素上落了多少个印章。</translation>
    </message>
    <message>
        <source>Where the stamps overlap: layer {index}, {layer}</source>
        <translation>印章在哪里重叠：第 {index} 层，{layer}</translation>
    </message>
    <message>
        <source>Left: stamps per output pixel for this layer&apos;s {h}×{w} input (what an all-ones kernel makes of an all-ones input). Away from the border the rows repeat {rows}, the columns {cols}. Middle: its top-left corner with the counts. Right: the stamp of one input pixel.</source>
        <translation>左：该层输入为 {h}×{w} 时每个输出像素收到的印章数（即全 1 卷积核作用于全 1 输入的结果）。远离边界处，各行按 {rows} 重复，各列按 {cols} 重复。中：左上角放大并标出计数。右：一个输入像素的印章。</translation>
    </message>
    <message>
        <source>stamps per output pixel</source>
        <translation>每个输出像素的印章数</translation>
    </message>
    <message>
        <source>top-left corner, enlarged</source>
        <translation>左上角（放大）</translation>
    </message>
    <message>
        <source>one pixel&apos;s stamp</source>
        <translation>一个像素的印章</translation>
    </message>
</context>
<context>
    <name>DesignPanel</name>
    <message>
        <source>The design is not valid yet: fix it to see its kernels.</source>
        <extracomment>The smallest a sub-kernel is drawn (screen pixels, its longer side), and a weight of it.</extracomment>
        <translation>设计尚不合法：修正后即可查看其卷积核。</translation>
    </message>
    <message>
        <source>The input has no kernels: select a Conv2d layer to see its weights.</source>
        <translation>输入没有卷积核：选择一个 Conv2d 层以查看其权重。</translation>
    </message>
    <message>
        <source>Select a Conv2d layer to see its weights.</source>
        <translation>选择一个 Conv2d 层以查看其权重。</translation>
    </message>
    <message>
        <source>{layer} has no kernels: it connects every input value to every output, with a matrix of weights (outputs × inputs). For a classifier head, the tab “What the classifier looks for” shows them as pictures.</source>
        <translation>{layer}没有卷积核：它把每个输入值连接到每个输出，权重是一个矩阵（输出 × 输入）。若它是分类头，“分类器在找什么”标签页会把这些权重画成图。</translation>
    </message>
    <message>
        <source>{layer} has no kernels: its weights are one scale and one shift per channel. Select a Conv2d layer to see kernels.</source>
        <translation>{layer}没有卷积核：它的权重是每个通道一个缩放和一个平移。选择一个 Conv2d 层即可查看卷积核。</translation>
    </message>
    <message>
        <source>{layer} has no kernels: only Conv2d layers have weights. Select a Conv2d layer to see them.</source>
        <translation>{layer}没有卷积核：只有 Conv2d 层才有权重。选择一个 Conv2d 层即可查看。</translation>
    </message>
    <message>
        <source>{layer} has no weights yet.</source>
        <translation>{layer}还没有权重。</translation>
    </message>
</context>
<context>
    <name>DigitBrowser</name>
    <message>
        <source>Which digits to browse: the 10,000 bundled MNIST test digits (no download needed) or an MNIST-style IDX data set you opened</source>
        <extracomment>The digit just put on the input: its name (``mnist:7:12`` or ``file #1234``). The source being browsed changed (bundled or an opened data set).</extracomment>
        <translation>浏览哪些数字：内置的 10,000 个 MNIST 测试数字（无需下载），或你打开的 MNIST 格式 IDX 数据集</translation>
    </message>
    <message>
        <source>Open MNIST data set…</source>
        <translation>打开 MNIST 数据集…</translation>
    </message>
    <message>
        <source>Browse an MNIST-style data set: choose a …-images-idx3-ubyte file (.gz allowed); the matching …-labels-idx1-ubyte file next to it is found by name</source>
        <translation>浏览 MNIST 格式的数据集：选择一个 …-images-idx3-ubyte 文件（可为 .gz）；同目录下对应的 …-labels-idx1-ubyte 文件会按名称自动找到</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Click a digit (or press Enter) to put it on the input; arrow keys move, R picks a random one</source>
        <translation>单击一个数字（或按 Enter）将其放到输入上；方向键移动，R 随机选一个</translation>
    </message>
    <message>
        <source>◀ Previous</source>
        <translation>◀ 上一个</translation>
    </message>
    <message>
        <source>Put the previous digit of this label on the input</source>
        <translation>将该标签的上一个数字放到输入上</translation>
    </message>
    <message>
        <source>Next ▶</source>
        <translation>下一个 ▶</translation>
    </message>
    <message>
        <source>Put the next digit of this label on the input</source>
        <translation>将该标签的下一个数字放到输入上</translation>
    </message>
    <message>
        <source>How many digits the grid shows</source>
        <translation>网格中显示的数字个数</translation>
    </message>
    <message>
        <source>Which digit is on the input, by the name the command line accepts (e.g. mnist:7:12); &apos;painted&apos; once the input was painted or replaced and is no longer that digit</source>
        <translation>输入上是哪个数字，用命令行接受的名称表示（如 mnist:7:12）；输入被绘制或替换、不再是该数字后显示“已绘制”</translation>
    </message>
    <message>
        <source>Open MNIST data set</source>
        <translation>打开 MNIST 数据集</translation>
    </message>
    <message>
        <source>MNIST image files (*-images-idx3-ubyte *-images-idx3-ubyte.gz *images.idx3-ubyte *images.idx3-ubyte.gz *.idx3 *.idx);;All files (*)</source>
        <translation>MNIST 图像文件 (*-images-idx3-ubyte *-images-idx3-ubyte.gz *images.idx3-ubyte *images.idx3-ubyte.gz *.idx3 *.idx);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Opening {name}…</source>
        <translation>正在打开 {name}…</translation>
    </message>
    <message>
        <source>Cannot open the data set</source>
        <translation>无法打开数据集</translation>
    </message>
    <message>
        <source>Bundled</source>
        <translation>内置</translation>
    </message>
    <message>
        <source>{count:,} images from {path}
No label file was found next to it, so they are unlabelled</source>
        <translation>来自 {path} 的 {count:,} 张图像
同目录下没有找到标签文件，因此它们没有标签</translation>
    </message>
    <message>
        <source>{count:,} images from {path}
Labels from {labels}</source>
        <translation>来自 {path} 的 {count:,} 张图像
标签来自 {labels}</translation>
    </message>
    <message>
        <source>The {count:,} MNIST test digits shipped with ConvDesigner</source>
        <translation>ConvDesigner 自带的 {count:,} 个 MNIST 测试数字</translation>
    </message>
    <message>
        <source>Show all {count:,} digits</source>
        <translation>显示全部 {count:,} 个数字</translation>
    </message>
    <message>
        <source>This data set has no labels</source>
        <translation>该数据集没有标签</translation>
    </message>
    <message>
        <source>Show only the digits labelled {label} ({count:,} of them)</source>
        <translation>只显示标签为 {label} 的数字（共 {count:,} 个）</translation>
    </message>
    <message>
        <source>Random</source>
        <translation>随机</translation>
    </message>
    <message>
        <source>Put a random digit on the input (R)</source>
        <translation>将一个随机数字放到输入上 (R)</translation>
    </message>
    <message>
        <source>{count:,} digits</source>
        <translation>{count:,} 个数字</translation>
    </message>
    <message>
        <source>Random {label}</source>
        <translation>随机 {label}</translation>
    </message>
    <message>
        <source>Put a random digit labelled {label} on the input (R)</source>
        <translation>将一个标签为 {label} 的随机数字放到输入上 (R)</translation>
    </message>
    <message>
        <source>{count:,} digits labelled {label}</source>
        <translation>标签为 {label} 的数字共 {count:,} 个</translation>
    </message>
    <message>
        <source>Use MNIST digit {label} #{index}</source>
        <translation>使用 MNIST 数字 {label} #{index}</translation>
    </message>
    <message>
        <source>{file} #{position}</source>
        <translation>{file} #{position}</translation>
    </message>
    <message>
        <source>Use {file} image {position}</source>
        <translation>使用 {file} 的第 {position} 张图像</translation>
    </message>
    <message>
        <source>On the input: {name}</source>
        <translation>当前输入：{name}</translation>
    </message>
    <message>
        <source>On the input: blank</source>
        <translation>当前输入：空白</translation>
    </message>
    <message>
        <source>On the input: painted</source>
        <translation>当前输入：已绘制</translation>
    </message>
</context>
<context>
    <name>DigitListModel</name>
    <message>
        <source>{label} · #{index} — use as input with {spec}</source>
        <extracomment>Colour of the mark on the digit that is on the input, and of the overlays in PrepareDialog.</extracomment>
        <translation>{label} · #{index} — 用作输入：{spec}</translation>
    </message>
    <message>
        <source>#{position} of {file}</source>
        <translation>{file} 的第 {position} 张</translation>
    </message>
    <message>
        <source>{label} · #{index} — image {position} of {file}</source>
        <translation>{label} · #{index} — {file} 的第 {position} 张图像</translation>
    </message>
    <message>
        <source>image {position}</source>
        <translation>第 {position} 张图像</translation>
    </message>
    <message>
        <source>digit {label}, number {index}</source>
        <translation>数字 {label}，编号 {index}</translation>
    </message>
</context>
<context>
    <name>ExplainPanel</name>
    <message>
        <source>All digits</source>
        <translation>全部位数</translation>
    </message>
    <message>
        <source>The grids show {digits} significant digits; tick to show every digit of each float32 value. Hover a cell for its exact value.</source>
        <translation>网格显示 {digits} 位有效数字；勾选后显示每个 float32 值的全部位数。将鼠标悬停在单元格上可查看精确值。</translation>
    </message>
    <message>
        <source>Click a pixel of a Conv2d feature map to see how it was computed</source>
        <translation>单击 Conv2d 特征图上的一个像素，查看它是如何计算出来的</translation>
    </message>
    <message>
        <source>Layer {layer}, output channel {channel}, pixel ({y}, {x}) = {value}</source>
        <translation>第 {layer} 层，输出通道 {channel}，像素 ({y}, {x}) = {value}</translation>
    </message>
    <message>
        <source>the input image</source>
        <translation>输入图像</translation>
    </message>
    <message>
        <source>the output of layer {index}</source>
        <translation>第 {index} 层的输出</translation>
    </message>
    <message>
        <source>channel {first}</source>
        <translation>通道 {first}</translation>
    </message>
    <message>
        <source>channels {first}–{last}</source>
        <translation>通道 {first}–{last}</translation>
    </message>
    <message>
        <source>Reads {source}, {channels}, rows {rows}, columns {cols}</source>
        <translation>读取{source}：{channels}，行 {rows}，列 {cols}</translation>
    </message>
    <message>
        <source>Σ = {sigma} (the sum of all {count} products)</source>
        <translation>Σ = {sigma}（全部 {count} 个乘积之和）</translation>
    </message>
    <message>
        <source>Σ = {sigma} (the {count} partial sums above, added)</source>
        <translation>Σ = {sigma}（上面 {count} 个部分和相加）</translation>
    </message>
    <message>
        <source>bias = {bias}</source>
        <translation>偏置 = {bias}</translation>
    </message>
    <message>
        <source>bias = 0 (the layer has bias=False)</source>
        <translation>偏置 = 0（该层 bias=False）</translation>
    </message>
    <message>
        <source>{first}…{last} in steps of {step}</source>
        <translation>{first}…{last}，间隔 {step}</translation>
    </message>
    <message>
        <source>total = Σ + bias = {total} = the value in the map</source>
        <translation>总和 = Σ + 偏置 = {total} = 特征图中的值</translation>
    </message>
    <message>
        <source>total = Σ + bias = {total} ≈ {value}, the value in the map</source>
        <translation>总和 = Σ + 偏置 = {total} ≈ {value}（特征图中的值）</translation>
    </message>
    <message>
        <source>the {count} products and the bias</source>
        <translation>{count} 个乘积与偏置</translation>
    </message>
    <message>
        <source>the {count} products</source>
        <translation>{count} 个乘积</translation>
    </message>
    <message>
        <source>PyTorch adds {terms} in float32, in its own order, rounding at every step; the total here is the exact sum, rounded once. They differ by {difference} ({ulps} in the last place):</source>
        <translation>PyTorch 以 float32 按自己的顺序累加{terms}，每一步都会舍入；这里的总和是精确求和后只舍入一次的结果。两者相差 {difference}（末位相差 {ulps} 个单位）：</translation>
    </message>
    <message>
        <source>the map was computed on {device}, whose convolutions may use reduced-precision (TF32) arithmetic;</source>
        <translation>该特征图是在 {device} 上计算的，其卷积可能使用了降低精度的 TF32 运算；</translation>
    </message>
    <message>
        <source>that is rounding, not a mistake.</source>
        <translation>这是舍入误差，不是错误。</translation>
    </message>
    <message>
        <source>more than rounding explains. The map may have been computed from other values than these.</source>
        <translation>这超出了舍入误差所能解释的范围。该特征图可能是由别的数值计算出来的。</translation>
    </message>
    <message>
        <source>padding (zeros): cells outside the input count as 0</source>
        <translation>填充（zeros）：输入之外的单元格按 0 计算</translation>
    </message>
    <message>
        <source>padding (reflect): mirrored from inside the input, the edge not repeated</source>
        <translation>填充（reflect）：从输入内部镜像，边缘不重复</translation>
    </message>
    <message>
        <source>padding (replicate): the nearest edge value, repeated</source>
        <translation>填充（replicate）：重复最近的边缘值</translation>
    </message>
    <message>
        <source>padding (circular): wrapped around from the opposite edge</source>
        <translation>填充（circular）：从对边循环绕回</translation>
    </message>
    <message>
        <source>no padding under this pixel</source>
        <translation>此像素下没有填充</translation>
    </message>
    <message>
        <source>no padding in this layer</source>
        <translation>该层没有填充</translation>
    </message>
    <message>
        <source>Arrow keys move the pixel</source>
        <translation>方向键可移动像素</translation>
    </message>
    <message>
        <source>Click this panel, then use the arrow keys to move the pixel</source>
        <translation>单击此面板，然后用方向键移动像素</translation>
    </message>
</context>
<context>
    <name>ExportCodeDialog</name>
    <message>
        <source>Export PyTorch Code</source>
        <extracomment>Designs with more parameter values than this are not checked for being &quot;the seed&apos;s values&quot; (the check initialises every layer once more); their code lists or loads the values instead.</extracomment>
        <translation>导出 PyTorch 代码</translation>
    </message>
    <message>
        <source>A self-contained Python file: &lt;code&gt;build_model()&lt;/code&gt; returns the design as &lt;code&gt;nn.Sequential&lt;/code&gt; with exactly the weights shown in ConvDesigner.</source>
        <translation>一个独立的 Python 文件：&lt;code&gt;build_model()&lt;/code&gt; 返回该设计对应的 &lt;code&gt;nn.Sequential&lt;/code&gt;，权重与 ConvDesigner 中显示的完全一致。</translation>
    </message>
    <message>
        <source>The code that will be saved or copied (read-only)</source>
        <translation>将要保存或复制的代码（只读）</translation>
    </message>
    <message>
        <source>Also save the weights next to it (.pt)</source>
        <translation>同时在旁边保存权重 (.pt)</translation>
    </message>
    <message>
        <source>Save the parameters as a state_dict file beside the .py file; the code loads it with torch.load(..., weights_only=True)</source>
        <translation>将参数保存为 .py 文件旁边的 state_dict 文件；代码用 torch.load(..., weights_only=True) 加载它</translation>
    </message>
    <message>
        <source>Copy to Clipboard</source>
        <translation>复制到剪贴板</translation>
    </message>
    <message>
        <source>Copy the code, to paste it into a notebook</source>
        <translation>复制代码，以便粘贴到笔记本中</translation>
    </message>
    <message>
        <source>Save .py…</source>
        <translation>保存 .py…</translation>
    </message>
    <message>
        <source>Save the code as a Python file (and the weights, if ticked above)</source>
        <translation>将代码保存为 Python 文件（若上面已勾选，也保存权重）</translation>
    </message>
    <message>
        <source>The design has never been valid: fix it first.</source>
        <translation>该设计从未合法过：请先修正。</translation>
    </message>
    <message>
        <source>This design holds {count} weights of its own (imported, typed or edited), too many to write into the code (at most {limit}), so they are saved to a .pt file next to it.</source>
        <translation>该设计包含 {count} 个自有权重（导入、输入或编辑得到），数量太多，无法写入代码（最多 {limit} 个），因此会保存到旁边的 .pt 文件中。</translation>
    </message>
    <message>
        <source>The design has a problem right now; this is the code of the last valid design.</source>
        <translation>该设计当前有问题；这是最后一个合法设计的代码。</translation>
    </message>
    <message>
        <source># The design has never been valid: fix it first, then export it.</source>
        <translation># 该设计从未合法过：请先修正，再导出。</translation>
    </message>
    <message>
        <source>Copied {lines} lines to the clipboard.</source>
        <translation>已将 {lines} 行复制到剪贴板。</translation>
    </message>
    <message>
        <source>Save PyTorch code</source>
        <translation>保存 PyTorch 代码</translation>
    </message>
    <message>
        <source>Python files (*.py)</source>
        <translation>Python 文件 (*.py)</translation>
    </message>
    <message>
        <source>Replace the weights file?</source>
        <translation>替换权重文件？</translation>
    </message>
    <message>
        <source>{name} already exists in {folder}. Replace it with this design&apos;s weights?</source>
        <translation>{folder} 中已有 {name}。要用该设计的权重替换它吗？</translation>
    </message>
    <message>
        <source>Saving {name}…</source>
        <translation>正在保存 {name}…</translation>
    </message>
    <message>
        <source>Cannot export</source>
        <translation>无法导出</translation>
    </message>
    <message>
        <source>Saved {code} and {weights}.</source>
        <translation>已保存 {code} 和 {weights}。</translation>
    </message>
    <message>
        <source>Saved {code}.</source>
        <translation>已保存 {code}。</translation>
    </message>
</context>
<context>
    <name>FeatureMapsView</name>
    <message>
        <source>The selected layer&apos;s feature maps, one per channel (numbered above each map).
Click a map to select its channel · wheel: zoom · drag: pan · double-click: reset the view</source>
        <translation>所选层的特征图，每个通道一张（编号在每张图上方）。
单击一张图选中其通道 · 滚轮：缩放 · 拖动：平移 · 双击：重置视图</translation>
    </message>
    <message>
        <source>input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Layer {index} ({kind}) → {count} values, drawn row by row</source>
        <translation>第 {index} 层（{kind}）→ {count} 个值，逐行绘制</translation>
    </message>
    <message>
        <source>The input → {count} map of {height}×{width}</source>
        <translation>输入 → {count} 张 {height}×{width} 的图</translation>
    </message>
    <message>
        <source>The input → {count} maps of {height}×{width}</source>
        <translation>输入 → {count} 张 {height}×{width} 的图</translation>
    </message>
    <message>
        <source>Layer {index} ({kind}) → {count} map of {height}×{width}</source>
        <translation>第 {index} 层（{kind}）→ {count} 张 {height}×{width} 的特征图</translation>
    </message>
    <message>
        <source>Layer {index} ({kind}) → {count} maps of {height}×{width}</source>
        <translation>第 {index} 层（{kind}）→ {count} 张 {height}×{width} 的特征图</translation>
    </message>
    <message>
        <source>channel {channel} outlined</source>
        <translation>已框出通道 {channel}</translation>
    </message>
    <message>
        <source>every {step}th pixel drawn (hover reads them all)</source>
        <translation>每 {step} 个像素绘制一个（悬停可读取全部）</translation>
    </message>
    <message>
        <source>drag up and down for the other channels</source>
        <translation>上下拖动可查看其他通道</translation>
    </message>
    <message>
        <source>{where} · channel {channel}</source>
        <translation>{where} · 通道 {channel}</translation>
    </message>
</context>
<context>
    <name>FileCommands</name>
    <message>
        <source>ConvDesigner designs (*.json);;All files (*)</source>
        <translation>ConvDesigner 设计文件 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Images and arrays (*.png *.jpg *.jpeg *.bmp *.gif *.npy *-idx3-ubyte *-idx3-ubyte.gz);;All files (*)</source>
        <translation>图片和数组 (*.png *.jpg *.jpeg *.bmp *.gif *.npy *-idx3-ubyte *-idx3-ubyte.gz);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Delete the autosaved copy</source>
        <translation>删除自动保存的副本</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>稍后</translation>
    </message>
    <message>
        <source>Keep the autosaved copy and ask again at the next start</source>
        <translation>保留自动保存的副本，下次启动时再询问</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <source>The design has changes that are not saved. Save them first?</source>
        <translation>设计有尚未保存的更改。要先保存吗？</translation>
    </message>
    <message>
        <source>Open design</source>
        <translation>打开设计</translation>
    </message>
    <message>
        <source>Opening {name}…</source>
        <translation>正在打开 {name}…</translation>
    </message>
    <message>
        <source>Cannot open the design</source>
        <translation>无法打开设计</translation>
    </message>
    <message>
        <source>Save design</source>
        <translation>保存设计</translation>
    </message>
    <message>
        <source>Saving {name}…</source>
        <translation>正在保存 {name}…</translation>
    </message>
    <message>
        <source>Cannot save</source>
        <translation>无法保存</translation>
    </message>
    <message>
        <source>The design was not saved to {path}:
{error}</source>
        <translation>设计没有保存到 {path}：
{error}</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>已保存 {path}</translation>
    </message>
    <message>
        <source>Open input</source>
        <translation>打开输入</translation>
    </message>
    <message>
        <source>Cannot use this input</source>
        <translation>无法使用此输入</translation>
    </message>
    <message>
        <source>Load input {name}</source>
        <translation>加载输入 {name}</translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation>未命名</translation>
    </message>
    <message>
        <source>Restore unsaved work?</source>
        <translation>恢复未保存的工作？</translation>
    </message>
    <message>
        <source>ConvDesigner did not close properly. It autosaved “{name}” at {time}, with changes that were not saved. Restore them?</source>
        <translation>ConvDesigner 上次没有正常关闭。它在 {time} 自动保存了“{name}”中尚未保存的更改。要恢复吗？</translation>
    </message>
    <message>
        <source>Cannot restore</source>
        <translation>无法恢复</translation>
    </message>
</context>
<context>
    <name>GeneratorFields</name>
    <message>
        <source>How many channels the input of this layer has; it must equal the channels the layer before produces.</source>
        <translation>该层输入的通道数；必须等于上一层输出的通道数。</translation>
    </message>
    <message>
        <source>How many output channels (maps) the layer makes. Each input channel holds one sub-kernel per output channel of its group.</source>
        <translation>该层生成的输出通道（特征图）数。每个输入通道为其所在组的每个输出通道各持有一个子卷积核。</translation>
    </message>
    <message>
        <source>Height and width of the stamp each input pixel puts on the output.</source>
        <translation>每个输入像素印到输出上的“印章”的高和宽。</translation>
    </message>
    <message>
        <source>How far apart, on the output, the stamps of neighbouring input pixels land; 2 doubles the size.</source>
        <translation>相邻输入像素的印章在输出上相隔多远；2 使尺寸加倍。</translation>
    </message>
    <message>
        <source>Cells cut from each border of the stamped result: dilation·(kernel_size − 1) − padding zeros around the input in the gather view.</source>
        <translation>从印章叠加结果的每条边上裁掉的格数；在汇集视图中，输入四周补 dilation·(kernel_size − 1) − padding 个零。</translation>
    </message>
    <message>
        <source>Extra rows and columns added at the bottom and right of the output, to reach the exact size wanted; must be smaller than stride or dilation.</source>
        <translation>在输出的下方和右侧额外加上的行和列，用来得到想要的确切尺寸；必须小于 stride 或 dilation。</translation>
    </message>
    <message>
        <source>Split input and output channels into this many groups; each input channel then stamps only onto the out_channels/groups outputs of its group.</source>
        <translation>把输入和输出通道分成这么多组；每个输入通道只印到本组的 out_channels/groups 个输出通道上。</translation>
    </message>
    <message>
        <source>Add one learned number to every value of each output channel.</source>
        <translation>给每个输出通道的每个值加上一个学习得到的数。</translation>
    </message>
    <message>
        <source>Spacing between the taps of a stamp; 2 spreads a 3×3 stamp over 5×5 pixels.</source>
        <translation>印章各抽头之间的间隔；2 把 3×3 的印章铺开到 5×5 个像素上。</translation>
    </message>
    <message>
        <source>learn a bias</source>
        <translation>学习偏置</translation>
    </message>
    <message>
        <source>How many channels it normalises; must equal the channels the layer before produces.</source>
        <translation>它归一化的通道数；必须等于上一层输出的通道数。</translation>
    </message>
    <message>
        <source>Added to running_var before the square root, so that a channel of variance 0 does not divide by 0.</source>
        <translation>开平方前加到 running_var 上，使方差为 0 的通道不会除以 0。</translation>
    </message>
    <message>
        <source>How fast running_mean and running_var follow the batches while training (not used in eval mode, which the app shows).</source>
        <translation>训练时 running_mean 和 running_var 跟随各批数据变化的快慢（本应用显示的评估模式中不使用）。</translation>
    </message>
    <message>
        <source>learn weight and bias</source>
        <translation>学习权重和偏置</translation>
    </message>
    <message>
        <source>Scale by a learned weight and shift by a learned bias after normalising, per channel.</source>
        <translation>归一化之后，逐通道乘以学习得到的权重、加上学习得到的偏置。</translation>
    </message>
    <message>
        <source>learn a bias (with affine)</source>
        <translation>学习偏置（需 affine）</translation>
    </message>
    <message>
        <source>With affine, whether the learned shift is there (PyTorch&apos;s bias= keyword).</source>
        <translation>在 affine 时，是否有学习得到的平移（PyTorch 的 bias= 关键字参数）。</translation>
    </message>
    <message>
        <source>How many times larger the output is: one number, or height, width (2, 1.5).</source>
        <translation>输出放大的倍数：一个数，或 高, 宽（如 2, 1.5）。</translation>
    </message>
    <message>
        <source>nearest repeats each pixel; bilinear blends the four nearest input pixels.</source>
        <translation>nearest 重复每个像素；bilinear 混合最近的四个输入像素。</translation>
    </message>
    <message>
        <source>Set it to the number of channels the layer before produces (one undo step).</source>
        <translation>把它设为上一层输出的通道数（一步撤销）。</translation>
    </message>
    <message>
        <source>input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>previous layer</source>
        <translation>上一层</translation>
    </message>
    <message>
        <source>{field} ← {source} ({channels})</source>
        <translation>{field} ← {source}（{channels}）</translation>
    </message>
    <message>
        <source>Each input pixel stamps its sub-kernels, scaled by its value, onto the output, stride pixels apart; overlapping stamps add up. The mirror of Conv2d: it enlarges.</source>
        <translation>每个输入像素把按其值缩放的子卷积核像印章一样印到输出上，相邻印章相隔 stride 个像素；重叠的印章相加。它是 Conv2d 的镜像：放大尺寸。</translation>
    </message>
    <message>
        <source>Per channel: subtracts running_mean, divides by √(running_var + eps), then scales by weight and adds bias (eval mode).</source>
        <translation>逐通道：减去 running_mean，除以 √(running_var + eps)，再乘以权重 weight、加上偏置 bias（评估模式）。</translation>
    </message>
    <message>
        <source>Enlarges every channel by scale_factor, repeating pixels (nearest) or blending them (bilinear). No weights.</source>
        <translation>把每个通道放大 scale_factor 倍，重复像素（nearest）或混合像素（bilinear）。没有权重。</translation>
    </message>
</context>
<context>
    <name>HeadView</name>
    <message>
        <source>channel of the last maps</source>
        <translation>最后一层特征图的通道</translation>
    </message>
    <message>
        <source>class (digit)</source>
        <translation>类别（数字）</translation>
    </message>
    <message>
        <source>Each digit&apos;s Linear weights laid back onto the maps they read: red where a high value raises that digit&apos;s score, blue where it lowers it.
wheel: zoom · drag: pan · double-click: reset the view</source>
        <translation>每个数字的 Linear 权重放回它读取的特征图上：红色表示该处的值越大，这个数字的得分越高；蓝色表示得分越低。
滚轮：缩放 · 拖动：平移 · 双击：复位视图</translation>
    </message>
    <message>
        <source>What the classifier looks for</source>
        <translation>分类器在找什么</translation>
    </message>
    <message>
        <source>This view needs a classifier head: a Flatten of C×H×W maps followed by a Linear layer at the end (Add a classifier head).</source>
        <translation>此视图需要一个分类头：末尾是把 C×H×W 特征图展平的 Flatten，再接一个 Linear 层（添加分类头）。</translation>
    </message>
    <message>
        <source>What the classifier looks for: layer {index}&apos;s weights, one row per class, each reshaped to the {maps} maps it reads</source>
        <translation>分类器在找什么：第 {index} 层的权重，每个类别一行，各自还原为它读取的 {maps} 特征图</translation>
    </message>
    <message>
        <source>class {digit} · channel {channel}</source>
        <translation>类别 {digit} · 通道 {channel}</translation>
    </message>
</context>
<context>
    <name>ImagePanel</name>
    <message>
        <source>Wheel: zoom · drag: pan · double-click: reset the view · click a tile: select it</source>
        <translation>滚轮：缩放 · 拖动：平移 · 双击：重置视图 · 单击小图：选中</translation>
    </message>
    <message>
        <source>Show all</source>
        <translation>全部显示</translation>
    </message>
    <message>
        <source>Fit every tile into the view, however small; unticked, tiles keep a readable size and you drag to see the rest</source>
        <translation>把所有小图都塞进视图，不论多小；不勾选时小图保持可读的大小，拖动即可查看其余部分</translation>
    </message>
    <message>
        <source>Colour scale: the value each colour stands for</source>
        <extracomment>The width pyqtgraph gives a colour bar&apos;s tick axis (``ColorBarItem``), at 1× text.</extracomment>
        <translation>色标：每种颜色代表的数值</translation>
    </message>
</context>
<context>
    <name>InputGridEditor</name>
    <message>
        <source>Type a number into a cell and press Enter or Tab; each value is one step in the history (Ctrl+Z undoes it)</source>
        <translation>在单元格中输入数字后按 Enter 或 Tab；每个值都是历史记录中的一步（Ctrl+Z 可撤销）</translation>
    </message>
    <message>
        <source>The grid is for inputs of up to {max}×{max} pixels per channel; this input is {h}×{w}. Paint on the canvas or open an image instead.</source>
        <translation>网格只适用于每个通道不超过 {max}×{max} 像素的输入；当前输入为 {h}×{w}。请在画布上绘制，或打开一张图片。</translation>
    </message>
    <message>
        <source>Channel {c}</source>
        <translation>通道 {c}</translation>
    </message>
    <message>
        <source>Show and edit input channel {c}</source>
        <translation>显示并编辑输入通道 {c}</translation>
    </message>
    <message>
        <source>Input {c} × {h} × {w}. Double-click or type into a cell to set its value.</source>
        <translation>输入 {c} × {h} × {w}。双击单元格或直接输入即可设置其值。</translation>
    </message>
</context>
<context>
    <name>InputPanel</name>
    <message>
        <source>Brush</source>
        <translation>画笔</translation>
    </message>
    <message>
        <source>Paint ink (B)</source>
        <translation>绘制笔迹 (B)</translation>
    </message>
    <message>
        <source>Eraser</source>
        <translation>橡皮擦</translation>
    </message>
    <message>
        <source>Erase ink (E); the right mouse button erases too</source>
        <translation>擦除笔迹 (E)；鼠标右键也可擦除</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <source>Set every input pixel to 0</source>
        <translation>将输入的每个像素设为 0</translation>
    </message>
    <message>
        <source>Invert</source>
        <translation>反相</translation>
    </message>
    <message>
        <source>Replace each value v by max − v (white on black ↔ black on white)</source>
        <translation>将每个值 v 替换为 max − v（黑底白字 ↔ 白底黑字）</translation>
    </message>
    <message>
        <source>Random…</source>
        <translation>随机…</translation>
    </message>
    <message>
        <source>Fill every channel with random normal values (mean 0, standard deviation 1) from a seed: the input of a generator</source>
        <translation>用随机种子生成的正态分布随机数（均值 0，标准差 1）填满每个通道：生成器的输入</translation>
    </message>
    <message>
        <source>Colour…</source>
        <translation>颜色…</translation>
    </message>
    <message>
        <source>Brush colour for 3-channel (RGB) inputs</source>
        <translation>3 通道（RGB）输入的画笔颜色</translation>
    </message>
    <message>
        <source>Brush size, in input pixels</source>
        <translation>画笔大小，以输入像素为单位</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>{diameter:.1f} px</source>
        <translation>{diameter:.1f} 像素</translation>
    </message>
    <message>
        <source>Brush colour</source>
        <translation>画笔颜色</translation>
    </message>
    <message>
        <source>Clear input</source>
        <translation>清空输入</translation>
    </message>
    <message>
        <source>Random normal input</source>
        <translation>正态分布随机输入</translation>
    </message>
    <message>
        <source>Seed (the same seed always gives the same numbers):</source>
        <translation>随机种子（同一个种子总是给出相同的数）：</translation>
    </message>
    <message>
        <source>Random normal input (seed {seed})</source>
        <translation>正态分布随机输入（随机种子 {seed}）</translation>
    </message>
    <message>
        <source>Invert input</source>
        <translation>反相输入</translation>
    </message>
</context>
<context>
    <name>KernelAnimation</name>
    <message>
        <source>Step</source>
        <extracomment>Milliseconds per step at speeds 1 … 5 (slow enough to read at 1; a blur at 5). Input channels drawn with the footprint (the others move in step, and their sums are counted).</extracomment>
        <translation>单步</translation>
    </message>
    <message>
        <source>One step: move the kernel · multiply · add up and write the output cell</source>
        <translation>走一步：移动卷积核 · 逐格相乘 · 求和并写入输出格</translation>
    </message>
    <message>
        <source>From the start</source>
        <translation>从头开始</translation>
    </message>
    <message>
        <source>Empty the output map and put the kernel on its first position</source>
        <translation>清空输出特征图，把卷积核放回第一个位置</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <source>⏸ Pause</source>
        <translation>⏸ 暂停</translation>
    </message>
    <message>
        <source>▶ Play</source>
        <translation>▶ 播放</translation>
    </message>
    <message>
        <source>Slide the kernel over the input, pixel by pixel, and watch the output map fill in</source>
        <translation>让卷积核在输入上逐个像素滑动，看输出特征图一格一格填满</translation>
    </message>
    <message>
        <source>① The kernel moves to output pixel ({y}, {x}): it covers rows {r0}…{r1}, columns {c0}…{c1}</source>
        <translation>① 卷积核移到输出像素 ({y}, {x})：覆盖第 {r0}…{r1} 行、第 {c0}…{c1} 列</translation>
    </message>
    <message>
        <source> of all {count} input maps at once</source>
        <translation>，同时作用于全部 {count} 张输入图</translation>
    </message>
    <message>
        <source>② Multiply cell by cell and add up: one partial sum per input map ({count} of them)</source>
        <translation>② 逐格相乘再求和：每张输入图得到一个部分和（共 {count} 个）</translation>
    </message>
    <message>
        <source>② Multiply cell by cell and add up</source>
        <translation>② 逐格相乘再求和</translation>
    </message>
    <message>
        <source>③ Σ {sigma} + bias {bias} = {value} → output ({y}, {x})</source>
        <translation>③ Σ {sigma} + 偏置 {bias} = {value} → 输出 ({y}, {x})</translation>
    </message>
</context>
<context>
    <name>KernelEditor</name>
    <message>
        <source>The kernel editor works on a Conv2d layer</source>
        <translation>卷积核编辑器只作用于 Conv2d 层</translation>
    </message>
    <message>
        <source>The sub-kernel being edited: the weights one output channel (kernel) applies to one of its input channels</source>
        <translation>正在编辑的子卷积核：一个输出通道（卷积核）作用于其某个输入通道的权重</translation>
    </message>
    <message>
        <source>Which kernel (output channel) of the layer to edit</source>
        <translation>要编辑该层的哪个卷积核（输出通道）</translation>
    </message>
    <message>
        <source>Which sub-kernel of the kernel to edit: one per input channel the kernel reads</source>
        <translation>要编辑该卷积核的哪个子卷积核：卷积核读取的每个输入通道各对应一个</translation>
    </message>
    <message>
        <source>The bias of this kernel: added to every pixel of its output map. Type a number and press Enter.</source>
        <translation>该卷积核的偏置：加到其输出特征图的每个像素上。输入数字后按 Enter。</translation>
    </message>
    <message>
        <source>Kernel</source>
        <translation>卷积核</translation>
    </message>
    <message>
        <source>Sub-kernel</source>
        <translation>子卷积核</translation>
    </message>
    <message>
        <source>Bias</source>
        <translation>偏置</translation>
    </message>
    <message>
        <source>The weights of this sub-kernel (row, column). Double-click or start typing to edit; Enter commits.</source>
        <translation>该子卷积核的权重（行，列）。双击或直接输入即可编辑；按 Enter 确认。</translation>
    </message>
    <message>
        <source>Blue is negative, white 0, red positive; the scale spans ± the largest |weight| of this sub-kernel</source>
        <translation>蓝色为负，白色为 0，红色为正；色标范围是该子卷积核最大 |权重| 的 ±</translation>
    </message>
    <message>
        <source>How much one paint stroke adds to (left button) or subtracts from (right button) each cell it passes</source>
        <translation>一笔经过的每个单元格增加（左键）或减少（右键）多少</translation>
    </message>
    <message>
        <source>Paint step</source>
        <translation>绘制步长</translation>
    </message>
    <message>
        <source>{description} Sizes: {sizes}.</source>
        <translation>{description} 尺寸：{sizes}。</translation>
    </message>
    <message>
        <source>PyTorch default init</source>
        <translation>PyTorch 默认初始化</translation>
    </message>
    <message>
        <source>The values nn.Conv2d starts with: torch.manual_seed(seed), then Kaiming-uniform weights in ±1/√(fan-in).</source>
        <translation>nn.Conv2d 的初始值：先 torch.manual_seed(seed)，再取 ±1/√(fan-in) 范围内的 Kaiming 均匀分布权重。</translation>
    </message>
    <message>
        <source>A ready-made kernel to apply (hover an entry for what it does)</source>
        <translation>要应用的现成卷积核（悬停在条目上可查看其作用）</translation>
    </message>
    <message>
        <source>°</source>
        <translation>°</translation>
    </message>
    <message>
        <source>Gabor orientation θ, counter-clockwise: 0° makes vertical stripes, 90° horizontal ones</source>
        <translation>Gabor 方向 θ，逆时针：0° 为竖条纹，90° 为横条纹</translation>
    </message>
    <message>
        <source>θ</source>
        <translation>θ</translation>
    </message>
    <message>
        <source>The seed given to torch.manual_seed before nn.Conv2d draws its default values</source>
        <translation>nn.Conv2d 生成默认值之前传给 torch.manual_seed 的随机种子</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Preset</source>
        <translation>预设</translation>
    </message>
    <message>
        <source>Where Apply puts the preset: this sub-kernel only, every sub-kernel of this kernel, or every kernel of the layer</source>
        <translation>“应用”把预设放到哪里：仅此子卷积核、此卷积核的所有子卷积核，或该层的所有卷积核</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <source>Apply the preset to the chosen scope (one undo step)</source>
        <translation>将预设应用到所选范围（可一步撤销）</translation>
    </message>
    <message>
        <source>To</source>
        <translation>范围</translation>
    </message>
    <message>
        <source>Also set the bias of every kernel Apply touches (a sub-kernel&apos;s: its kernel&apos;s bias)</source>
        <translation>同时设置“应用”涉及的每个卷积核的偏置（子卷积核则为其所属卷积核的偏置）</translation>
    </message>
    <message>
        <source>Zero this input channel</source>
        <translation>将此输入通道置零</translation>
    </message>
    <message>
        <source>Set this sub-kernel to 0, so the kernel ignores the input channel it reads; Restore brings the values back</source>
        <translation>将此子卷积核设为 0，使卷积核忽略它读取的输入通道；“恢复”可找回原值</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Bring back exactly the values this sub-kernel had before it was zeroed</source>
        <translation>精确恢复此子卷积核置零之前的值</translation>
    </message>
    <message>
        <source>Why the last action could not be done</source>
        <translation>上一次操作无法完成的原因</translation>
    </message>
    <message>
        <source>Select a Conv2d layer to edit its kernels.</source>
        <translation>选择一个 Conv2d 层以编辑其卷积核。</translation>
    </message>
    <message>
        <source>Layer {index} is a {kind}, which has no kernels. Select a Conv2d layer to edit its kernels.</source>
        <translation>第 {index} 层是 {kind}，没有卷积核。选择一个 Conv2d 层以编辑其卷积核。</translation>
    </message>
    <message>
        <source>Layer {index} has no weights yet: fix its settings first.</source>
        <translation>第 {index} 层还没有权重：请先修正它的设置。</translation>
    </message>
    <message>
        <source>Kernel {kernel}, sub-kernel {sub} is outside layer {index}.</source>
        <translation>卷积核 {kernel} 的子卷积核 {sub} 不在第 {index} 层范围内。</translation>
    </message>
    <message>
        <source>Layer {index}: kernel {kernel} of {kernels}, sub-kernel {sub} of {subs} (reads input channel {channel}), {kh}×{kw} weights</source>
        <translation>第 {index} 层：卷积核 {kernel}（共 {kernels} 个），子卷积核 {sub}（共 {subs} 个，读取输入通道 {channel}），{kh}×{kw} 个权重</translation>
    </message>
    <message>
        <source>no bias</source>
        <translation>无偏置</translation>
    </message>
    <message>
        <source>colours: ±{level} (blue &lt; 0 &lt; red)</source>
        <translation>颜色：±{level}（蓝 &lt; 0 &lt; 红）</translation>
    </message>
    <message>
        <source>weight[{index}][{o}, {s}, {r}, {c}] = {value}
Double-click or type to edit</source>
        <translation>weight[{index}][{o}, {s}, {r}, {c}] = {value}
双击或直接输入即可编辑</translation>
    </message>
    <message>
        <source>this sub-kernel</source>
        <translation>此子卷积核</translation>
    </message>
    <message>
        <source>this kernel (all {n} sub-kernels)</source>
        <translation>此卷积核（全部 {n} 个子卷积核）</translation>
    </message>
    <message>
        <source>the whole layer ({n} kernels)</source>
        <translation>整个层（{n} 个卷积核）</translation>
    </message>
    <message>
        <source>Also re-initialise the bias</source>
        <translation>同时重新初始化偏置</translation>
    </message>
    <message>
        <source>Also set the bias to 0</source>
        <translation>同时将偏置设为 0</translation>
    </message>
    <message>
        <source>[{r}, {c}] = {value}</source>
        <translation>[{r}, {c}] = {value}</translation>
    </message>
    <message>
        <source>“{text}” is not a number; the weight was not changed.</source>
        <translation>“{text}”不是数字；权重未改变。</translation>
    </message>
    <message>
        <source>{text} is too large for a float32 weight; the weight was not changed.</source>
        <translation>{text} 超出了 float32 权重的范围；权重未改变。</translation>
    </message>
    <message>
        <source>Set weight [{index}][{o}, {s}, {r}, {c}] to {value}</source>
        <translation>将权重 [{index}][{o}, {s}, {r}, {c}] 设为 {value}</translation>
    </message>
    <message>
        <source>“{text}” is not a usable number; the bias was not changed.</source>
        <translation>“{text}”不是可用的数字；偏置未改变。</translation>
    </message>
    <message>
        <source>Set bias [{index}][{o}] to {value}</source>
        <translation>将偏置 [{index}][{o}] 设为 {value}</translation>
    </message>
    <message>
        <source>PyTorch default init (seed {seed})</source>
        <translation>PyTorch 默认初始化（随机种子 {seed}）</translation>
    </message>
    <message>
        <source>{name} θ={theta:g}°</source>
        <translation>{name} θ={theta:g}°</translation>
    </message>
    <message>
        <source>Apply {preset} to every kernel of layer {index}</source>
        <translation>将 {preset} 应用到第 {index} 层的所有卷积核</translation>
    </message>
    <message>
        <source>Apply {preset} to kernel {o} of layer {index}</source>
        <translation>将 {preset} 应用到第 {index} 层的卷积核 {o}</translation>
    </message>
    <message>
        <source>Apply {preset} to sub-kernel {s} of kernel {o} of layer {index}</source>
        <translation>将 {preset} 应用到第 {index} 层卷积核 {o} 的子卷积核 {s}</translation>
    </message>
    <message>
        <source>Zero sub-kernel {s} of kernel {o} of layer {index} (input channel {c})</source>
        <translation>将第 {index} 层卷积核 {o} 的子卷积核 {s} 置零（输入通道 {c}）</translation>
    </message>
    <message>
        <source>Restore sub-kernel {s} of kernel {o} of layer {index}</source>
        <translation>恢复第 {index} 层卷积核 {o} 的子卷积核 {s}</translation>
    </message>
    <message>
        <source>Paint sub-kernel {s} of kernel {o} of layer {index}</source>
        <translation>绘制第 {index} 层卷积核 {o} 的子卷积核 {s}</translation>
    </message>
</context>
<context>
    <name>KernelMatrixView</name>
    <message>
        <source>input channel (sub-kernel)</source>
        <translation>输入通道（子卷积核）</translation>
    </message>
    <message>
        <source>output channel (kernel)</source>
        <translation>输出通道（卷积核）</translation>
    </message>
    <message>
        <source>Every weight of the selected Conv2d layer: one row per kernel (output channel), one column per sub-kernel (input channel).
Click a sub-kernel to select it · wheel: zoom · drag: pan · double-click: reset the view</source>
        <translation>所选 Conv2d 层的全部权重：每行一个卷积核（输出通道），每列一个子卷积核（输入通道）。
单击子卷积核即可选中 · 滚轮：缩放 · 拖动：平移 · 双击：重置视图</translation>
    </message>
    <message>
        <source>Kernels</source>
        <translation>卷积核</translation>
    </message>
    <message>
        <source>+ kernel (along the row)</source>
        <translation>+ 卷积核（沿该行）</translation>
    </message>
    <message>
        <source>kernels (first of the row)</source>
        <translation>卷积核（该行第一个）</translation>
    </message>
    <message>
        <source>Weights of {layer}: {kernels} kernels × {sub_kernels} sub-kernels of {size} · selected: kernel {kernel}, sub-kernel {sub_kernel}</source>
        <translation>{layer}的权重：{kernels} 个卷积核 × 每个 {sub_kernels} 个 {size} 子卷积核 · 已选：卷积核 {kernel}，子卷积核 {sub_kernel}</translation>
    </message>
    <message>
        <source>groups={groups}: kernel {kernel} reads input channels {first}–{last}</source>
        <translation>groups={groups}：卷积核 {kernel} 读取输入通道 {first}–{last}</translation>
    </message>
    <message>
        <source>{columns} kernels a row</source>
        <translation>每行 {columns} 个卷积核</translation>
    </message>
    <message>
        <source>every {step}th weight drawn (hover reads them all)</source>
        <translation>每 {step} 个权重绘制一个（悬停可读取全部）</translation>
    </message>
    <message>
        <source>shown: kernels {first}–{last} (drag to see the others)</source>
        <translation>显示：卷积核 {first}–{last}（拖动可查看其余部分）</translation>
    </message>
    <message>
        <source>shown: kernels {first}–{last}, sub-kernels {first_sub}–{last_sub} (drag to see the others)</source>
        <translation>显示：卷积核 {first}–{last}，子卷积核 {first_sub}–{last_sub}（拖动可查看其余部分）</translation>
    </message>
    <message>
        <source>layer {layer} · kernel {kernel} · sub-kernel {sub_kernel} (input channel {channel})</source>
        <translation>第 {layer} 层 · 卷积核 {kernel} · 子卷积核 {sub_kernel}（输入通道 {channel}）</translation>
    </message>
    <message>
        <source>layer {layer} · kernel {kernel} · sub-kernel {sub_kernel}</source>
        <translation>第 {layer} 层 · 卷积核 {kernel} · 子卷积核 {sub_kernel}</translation>
    </message>
</context>
<context>
    <name>KernelPaintArea</name>
    <message>
        <source>Paint the weights: the left button adds the step to each cell the stroke passes, the right button subtracts it. One stroke is one undo step.</source>
        <translation>绘制权重：左键给笔画经过的每个单元格加上步长，右键减去步长。一笔为一个撤销步骤。</translation>
    </message>
</context>
<context>
    <name>Language</name>
    <message>
        <source>No Chinese font was found on this computer: install one (for example fonts-noto-cjk) to read the interface.</source>
        <translation>这台电脑上没有找到中文字体：请安装一种（例如 fonts-noto-cjk），才能正常显示界面。</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Restart now</source>
        <translation>立即重启</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>稍后</translation>
    </message>
    <message>
        <source>The interface will be in {language} after you restart ConvDesigner: the change takes effect after restart.</source>
        <extracomment>``(code, name)`` of each language, the name written in that language (it is never translated). Set to 1 to install :class:`PseudoTranslator` (layout checks). Where the compiled translations are, inside the ``convdesigner`` package.</extracomment>
        <translation>重新启动 ConvDesigner 后，界面将显示为 {language}：此更改在重启后生效。</translation>
    </message>
</context>
<context>
    <name>LayerEditorPanel</name>
    <message>
        <source>Output size</source>
        <extracomment>A generator starts from 128×7×7 random numbers: the input may have as many channels as a layer. An edit that must initialise more weights than this does it on a worker thread (about 20 ms of work here), with a progress dialog if it takes more than a moment.</extracomment>
        <translation>输出尺寸</translation>
    </message>
    <message>
        <source>How PyTorch computes the output&apos;s height and width, with this layer&apos;s numbers put in.</source>
        <translation>PyTorch 如何计算输出的高度和宽度（已代入该层的数值）。</translation>
    </message>
    <message>
        <source>How many numbers this layer learns, and where they sit.</source>
        <translation>该层要学习多少个数，以及它们位于何处。</translation>
    </message>
    <message>
        <source>Show or hide how PyTorch computes the output size (hidden by itself when the panel is too short for it).</source>
        <translation>显示或隐藏 PyTorch 计算输出尺寸的过程（面板太矮时自动隐藏）。</translation>
    </message>
    <message>
        <source>Colour channels of the input image: 1 for grayscale like MNIST, 3 for RGB colour.</source>
        <translation>输入图像的颜色通道：灰度图（如 MNIST）为 1，RGB 彩色图为 3。</translation>
    </message>
    <message>
        <source>Height of the input image in pixels.</source>
        <translation>输入图像的高度（像素）。</translation>
    </message>
    <message>
        <source>Width of the input image in pixels.</source>
        <translation>输入图像的宽度（像素）。</translation>
    </message>
    <message>
        <source>Set in_channels to the number of channels the layer before produces (one undo step).</source>
        <translation>将 in_channels 设为上一层输出的通道数（可一步撤销）。</translation>
    </message>
    <message>
        <source>How many channels the input of this layer has; it must equal the channels the layer before produces.</source>
        <translation>该层输入的通道数；必须等于上一层输出的通道数。</translation>
    </message>
    <message>
        <source>How many kernels this layer learns; each kernel produces one output channel (feature map).</source>
        <translation>该层学习的卷积核个数；每个卷积核产生一个输出通道（特征图）。</translation>
    </message>
    <message>
        <source>Height and width of each kernel: the window of input pixels one output pixel looks at.</source>
        <translation>每个卷积核的高和宽：一个输出像素所看到的输入像素窗口。</translation>
    </message>
    <message>
        <source>How many pixels the kernel moves between neighbouring outputs; 2 halves the output size.</source>
        <translation>相邻两个输出之间卷积核移动的像素数；步幅为 2 时输出尺寸减半。</translation>
    </message>
    <message>
        <source>Zeros (or copies, see padding_mode) added around the input&apos;s border before the kernel slides: &apos;same&apos; keeps the size, &apos;valid&apos; adds none.</source>
        <translation>卷积核滑动之前在输入边缘四周补上的 0（或副本，见 padding_mode）：&apos;same&apos; 保持尺寸不变，&apos;valid&apos; 不填充。</translation>
    </message>
    <message>
        <source>number</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>Spacing between the kernel&apos;s taps; 2 spreads a 3×3 kernel over 5×5 pixels without adding weights.</source>
        <translation>卷积核各采样点之间的间隔；为 2 时 3×3 卷积核覆盖 5×5 像素，而不增加权重。</translation>
    </message>
    <message>
        <source>Split input and output channels into this many groups; each output channel then reads only the in_channels/groups inputs of its group.</source>
        <translation>将输入和输出通道分成这么多组；每个输出通道只读取本组内的 in_channels/groups 个输入通道。</translation>
    </message>
    <message>
        <source>Set in_features to the number of values the layer before gives (one undo step).</source>
        <translation>把 in_features 设为前一层给出的值的个数（一步撤销）。</translation>
    </message>
    <message>
        <source>How many values each output reads: all the values the layer before gives (C·H·W after a Flatten).</source>
        <translation>每个输出读取多少个值：前一层给出的全部值（Flatten 之后是 C·H·W）。</translation>
    </message>
    <message>
        <source>How many outputs this layer gives; 10 for the ten digit classes.</source>
        <translation>该层给出多少个输出；十个数字类别就是 10。</translation>
    </message>
    <message>
        <source>learn a bias</source>
        <translation>学习偏置</translation>
    </message>
    <message>
        <source>Add one learned number to each output.</source>
        <translation>给每个输出加上一个学习得到的数。</translation>
    </message>
    <message>
        <source>While training, the chance that each value is set to 0 (the others are scaled by 1/(1 − p)). Outside training Dropout changes nothing.</source>
        <translation>训练时每个值被置为 0 的概率（其余的值乘以 1/(1 − p)）。训练之外 Dropout 什么也不改变。</translation>
    </message>
    <message>
        <source>in_features ← previous layer ({count})</source>
        <translation>in_features ← 前一层（{count}）</translation>
    </message>
    <message>
        <source>Lays each sample&apos;s C×H×W maps out as one vector of C·H·W values, channel by channel, each map row by row. No arguments.</source>
        <translation>把每个样本的 C×H×W 特征图排成一个含 C·H·W 个值的向量：逐通道，每张特征图逐行。没有参数。</translation>
    </message>
    <message>
        <source>Each output is a weighted sum of every input value plus a bias: one row of out_features × in_features weights per output.</source>
        <translation>每个输出是全部输入值的加权和再加偏置：out_features × in_features 的权重中，每个输出占一行。</translation>
    </message>
    <message>
        <source>While training, zeroes each value with probability p; outside training (every view here) it passes the values on unchanged.</source>
        <translation>训练时以概率 p 把每个值置为 0；训练之外（这里的每个视图）原样传递数值。</translation>
    </message>
    <message>
        <source>Add one learned number to every value of each output channel after the convolution.</source>
        <translation>卷积之后，给每个输出通道的所有值加上一个学习得到的数。</translation>
    </message>
    <message>
        <source>What fills the padding: zeros, a mirror image of the edge (reflect), the edge pixel repeated (replicate) or the opposite edge (circular).</source>
        <translation>填充内容：零（zeros）、边缘的镜像（reflect）、重复边缘像素（replicate）或对边（circular）。</translation>
    </message>
    <message>
        <source>How much of a negative value gets through: the output is negative_slope × x when x is below 0.</source>
        <translation>负值能通过多少：当 x 小于 0 时，输出为 negative_slope × x。</translation>
    </message>
    <message>
        <source>Size of the window whose largest (MaxPool2d) or average (AvgPool2d) value becomes one output pixel.</source>
        <translation>窗口大小：窗口内的最大值（MaxPool2d）或平均值（AvgPool2d）成为一个输出像素。</translation>
    </message>
    <message>
        <source>How far the window moves between outputs; by default as far as it is wide, so the windows do not overlap.</source>
        <translation>相邻输出之间窗口移动的距离；默认等于窗口宽度，因此窗口互不重叠。</translation>
    </message>
    <message>
        <source>= kernel_size (default)</source>
        <translation>= kernel_size（默认）</translation>
    </message>
    <message>
        <source>Leave stride out (stride=None), so it follows kernel_size as in PyTorch.</source>
        <translation>不设置 stride（stride=None），与 PyTorch 一样跟随 kernel_size。</translation>
    </message>
    <message>
        <source>Border added around the input before pooling; at most half the kernel size.</source>
        <translation>池化前在输入四周添加的边框；最多为窗口大小的一半。</translation>
    </message>
    <message>
        <source>How?</source>
        <translation>怎么算？</translation>
    </message>
    <message>
        <source>No layer selected</source>
        <translation>未选择层</translation>
    </message>
    <message>
        <source>Layer {index} · {kind}</source>
        <translation>第 {index} 层 · {kind}</translation>
    </message>
    <message>
        <source>Output shape unknown</source>
        <translation>输出形状未知</translation>
    </message>
    <message>
        <source>Fix the problem above to see the arithmetic.</source>
        <translation>修正上面的问题后即可看到计算过程。</translation>
    </message>
    <message>
        <source>A layer above has a problem, so the shape that reaches this layer is unknown.</source>
        <translation>上面某一层有问题，因此到达该层的形状未知。</translation>
    </message>
    <message>
        <source>{before}  →  {after}</source>
        <translation>{before}  →  {after}</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>The image the network sees: channels × height × width, as a PyTorch tensor [C, H, W].</source>
        <translation>网络看到的图像：通道 × 高 × 宽，即 PyTorch 张量 [C, H, W]。</translation>
    </message>
    <message>
        <source>Input shape</source>
        <translation>输入形状</translation>
    </message>
    <message>
        <source>{count} values go into layer 0.</source>
        <translation>共 {count} 个值进入第 0 层。</translation>
    </message>
    <message>
        <source>input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>previous layer</source>
        <translation>上一层</translation>
    </message>
    <message>
        <source>in_channels ← {source} ({channels})</source>
        <translation>in_channels ← {source}（{channels}）</translation>
    </message>
    <message>
        <source>Slides out_channels kernels over the input; each kernel produces one output channel.</source>
        <translation>让 out_channels 个卷积核在输入上滑动；每个卷积核产生一个输出通道。</translation>
    </message>
    <message>
        <source>max(0, x) on every value: negative values become 0. No arguments.</source>
        <translation>对每个值取 max(0, x)：负值变为 0。无参数。</translation>
    </message>
    <message>
        <source>x for positive values, negative_slope × x for negative ones.</source>
        <translation>正值输出 x，负值输出 negative_slope × x。</translation>
    </message>
    <message>
        <source>1 / (1 + e^−x) on every value: squeezes it into (0, 1). No arguments.</source>
        <translation>对每个值计算 1 / (1 + e^−x)：压缩到 (0, 1) 之间。无参数。</translation>
    </message>
    <message>
        <source>tanh(x) on every value: squeezes it into (−1, 1). No arguments.</source>
        <translation>对每个值计算 tanh(x)：压缩到 (−1, 1) 之间。无参数。</translation>
    </message>
    <message>
        <source>Keeps the largest value of each window, channel by channel.</source>
        <translation>逐通道保留每个窗口中的最大值。</translation>
    </message>
    <message>
        <source>Keeps the average of each window, channel by channel.</source>
        <translation>逐通道保留每个窗口的平均值。</translation>
    </message>
    <message>
        <source>Set {field} of layer {index} to {value}</source>
        <translation>将第 {index} 层的 {field} 设为 {value}</translation>
    </message>
    <message>
        <source>Set input {field} to {value}</source>
        <translation>将输入的 {field} 设为 {value}</translation>
    </message>
    <message>
        <source>Initialising the weights…</source>
        <translation>正在初始化权重…</translation>
    </message>
    <message>
        <source>⚠ Not applied: {reason}</source>
        <translation>⚠ 未生效：{reason}</translation>
    </message>
</context>
<context>
    <name>LayerStackPanel</name>
    <message>
        <source>Layers</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Parameters: the numbers the network learns. MACs: multiply–accumulate operations needed for one input image.</source>
        <translation>参数：网络要学习的数。MACs：处理一张输入图像所需的乘加运算次数。</translation>
    </message>
    <message>
        <source>Add a classifier head</source>
        <translation>添加分类头</translation>
    </message>
    <message>
        <source>Append Flatten() and Linear(C·H·W, 10) sized to the current output, so the network scores the ten digits (one undo step).</source>
        <translation>在末尾添加 Flatten() 和按当前输出大小设定的 Linear(C·H·W, 10)，让网络给十个数字打分（一步撤销）。</translation>
    </message>
    <message>
        <source>{tip} ({shortcut})</source>
        <translation>{tip}（{shortcut}）</translation>
    </message>
    <message>
        <source>Add layer</source>
        <translation>添加层</translation>
    </message>
    <message>
        <source>Insert layer above</source>
        <translation>在上方插入层</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Add a layer below the selected one</source>
        <translation>在所选层下方添加一层</translation>
    </message>
    <message>
        <source>Insert</source>
        <translation>插入</translation>
    </message>
    <message>
        <source>Insert a layer above the selected one</source>
        <translation>在所选层上方插入一层</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Remove the selected layer</source>
        <translation>删除所选层</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Duplicate the selected layer</source>
        <translation>复制所选层</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Move the selected layer up</source>
        <translation>将所选层上移</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Move the selected layer down</source>
        <translation>将所选层下移</translation>
    </message>
    <message>
        <source>Layer tools</source>
        <translation>层工具</translation>
    </message>
    <message>
        <source>Add {kind} as layer {index}</source>
        <extracomment>What &quot;zero this input channel&quot; replaced, by (layer, kernel, sub-kernel): the values and the layer&apos;s arguments (a different layer moved to that index is never &quot;restored&quot;). Written and taken back by the zero commands themselves, so it follows undo/redo.</extracomment>
        <translation>添加 {kind} 作为第 {index} 层</translation>
    </message>
    <message>
        <source>Insert {kind} as layer {index}</source>
        <translation>插入 {kind} 作为第 {index} 层</translation>
    </message>
    <message>
        <source>Remove layer {index} ({kind})</source>
        <translation>删除第 {index} 层（{kind}）</translation>
    </message>
    <message>
        <source>Duplicate layer {index} ({kind})</source>
        <translation>复制第 {index} 层（{kind}）</translation>
    </message>
    <message>
        <source>Move layer {index} up</source>
        <translation>将第 {index} 层上移</translation>
    </message>
    <message>
        <source>Move layer {index} down</source>
        <translation>将第 {index} 层下移</translation>
    </message>
    <message>
        <source>Move layer {source} to position {destination}</source>
        <translation>将第 {source} 层移到位置 {destination}</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Total: {parameters} · {macs} MACs</source>
        <translation>合计：{parameters} · {macs} 次乘加（MACs）</translation>
    </message>
    <message>
        <source>Total: — (a layer above has a problem)</source>
        <translation>合计：—（上方某层有问题）</translation>
    </message>
    <message>
        <source>Output: {shape}</source>
        <translation>输出：{shape}</translation>
    </message>
    <message>
        <source>1 problem: see the red row</source>
        <translation>1 个问题：见红色行</translation>
    </message>
    <message>
        <source>{count} problems: see the red rows</source>
        <translation>{count} 个问题：见红色行</translation>
    </message>
</context>
<context>
    <name>LayerStrip</name>
    <message>
        <source>Every layer&apos;s output, small. Click one to select that layer.</source>
        <extracomment>Pixels of one small mosaic in the strip. The smallest a feature map of the large panel is drawn (screen pixels, its longer side).</extracomment>
        <translation>每一层输出的缩略图。单击一个即可选中该层。</translation>
    </message>
</context>
<context>
    <name>LessonPanel</name>
    <message>
        <source>What this example shows</source>
        <translation>这个示例展示了什么</translation>
    </message>
    <message>
        <source>No lesson is open. Choose one from File ▸ New from Example: each starts a design that shows one idea, with an explanation here.</source>
        <translation>当前没有打开的课程。请从“文件 ▸ 从示例新建”中选择一个：每个示例都会新建一个展示某一概念的设计，并在此处给出讲解。</translation>
    </message>
</context>
<context>
    <name>LiveUpdater</name>
    <message>
        <source>computation failed: {error}</source>
        <translation>计算失败：{error}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>What the classifier looks for</source>
        <translation>分类器在找什么</translation>
    </message>
    <message>
        <source>The Linear head&apos;s weights per digit, reshaped to the maps it reads</source>
        <translation>Linear 分类头中每个数字的权重，还原为它读取的特征图</translation>
    </message>
    <message>
        <source>How a transposed convolution is made</source>
        <translation>转置卷积是怎样算出来的</translation>
    </message>
    <message>
        <source>Each input pixel stamps its sub-kernel onto the output (scatter), or the same as a convolution of a zero-stretched input with the flipped kernel (gather)</source>
        <translation>每个输入像素把子卷积核印到输出上（散布），或者等价地，用翻转的卷积核对插零拉伸后的输入做卷积（汇集）</translation>
    </message>
    <message>
        <source>Checkerboard</source>
        <translation>棋盘格</translation>
    </message>
    <message>
        <source>How many stamps of a ConvTranspose2d land on each output pixel: even, or a checkerboard</source>
        <translation>ConvTranspose2d 有多少个印章落在每个输出像素上：均匀，还是棋盘格</translation>
    </message>
    <message>
        <source>Selected kernel</source>
        <translation>所选卷积核</translation>
    </message>
    <message>
        <source>The selected kernel: one sub-kernel per input channel it reads, drawn large, and its bias</source>
        <translation>所选卷积核：它读取的每个输入通道对应一个子卷积核（放大显示），以及它的偏置</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Layer settings</source>
        <translation>层设置</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Explain a pixel</source>
        <translation>解释像素</translation>
    </message>
    <message>
        <source>Edit kernel</source>
        <translation>编辑卷积核</translation>
    </message>
    <message>
        <source>Input values</source>
        <translation>输入数值</translation>
    </message>
    <message>
        <source>Lesson</source>
        <translation>课程</translation>
    </message>
    <message>
        <source>MNIST digits</source>
        <translation>MNIST 数字</translation>
    </message>
    <message>
        <source>Feature maps</source>
        <translation>特征图</translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation>网络结构</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Prediction</source>
        <translation>预测</translation>
    </message>
    <message>
        <source>&lt;opened&gt;</source>
        <translation>&lt;已打开&gt;</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史记录</translation>
    </message>
    <message>
        <source>Time of the last update: computing all layers (worker thread) and drawing every view</source>
        <translation>上一次更新的耗时：计算所有层（工作线程）和绘制所有视图</translation>
    </message>
    <message>
        <source>Where PyTorch computes: the CPU or a GPU</source>
        <translation>PyTorch 在哪里计算：CPU 或 GPU</translation>
    </message>
    <message>
        <source>Loading PyTorch…</source>
        <translation>正在加载 PyTorch…</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop this computation; the views keep what they show</source>
        <translation>停止这次计算；各视图保留当前显示的内容</translation>
    </message>
    <message>
        <source>Device:</source>
        <translation>设备：</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>新建(&amp;N)</translation>
    </message>
    <message>
        <source>Start again from the learner&apos;s design</source>
        <translation>从学习者的设计重新开始</translation>
    </message>
    <message>
        <source>New from E&amp;xample</source>
        <translation>从示例新建(&amp;X)</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>打开(&amp;O)…</translation>
    </message>
    <message>
        <source>Open a design file (.json)</source>
        <translation>打开设计文件 (.json)</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Save the design and its input</source>
        <translation>保存设计及其输入</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>Save the design and its input under a new name</source>
        <translation>以新名称保存设计及其输入</translation>
    </message>
    <message>
        <source>Open &amp;Input…</source>
        <translation>打开输入(&amp;I)…</translation>
    </message>
    <message>
        <source>Load an image, a .npy array or an MNIST IDX file as the input</source>
        <translation>加载图片、.npy 数组或 MNIST IDX 文件作为输入</translation>
    </message>
    <message>
        <source>&amp;Export PyTorch Code…</source>
        <translation>导出 PyTorch 代码(&amp;E)…</translation>
    </message>
    <message>
        <source>Preview, copy or save the design as runnable PyTorch code, with its weights</source>
        <translation>预览、复制或保存该设计对应的可运行 PyTorch 代码（含权重）</translation>
    </message>
    <message>
        <source>Export &amp;Figure…</source>
        <translation>导出图片(&amp;F)…</translation>
    </message>
    <message>
        <source>Import &amp;Weights…</source>
        <translation>导入权重(&amp;W)…</translation>
    </message>
    <message>
        <source>Load trained weights from a PyTorch state_dict (.pt); files that would run code are refused</source>
        <translation>从 PyTorch state_dict (.pt) 加载训练好的权重；会执行代码的文件将被拒绝</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Presentation</source>
        <translation>演示模式(&amp;P)</translation>
    </message>
    <message>
        <source>Show one view full screen, large enough for a projector (Esc leaves)</source>
        <translation>全屏显示一个视图，大到投影仪上也看得清（按 Esc 退出）</translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <source>Larger text and labels everywhere</source>
        <translation>所有文字和标注变大</translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation>缩小(&amp;O)</translation>
    </message>
    <message>
        <source>Smaller text and labels everywhere</source>
        <translation>所有文字和标注变小</translation>
    </message>
    <message>
        <source>&amp;Actual Size</source>
        <translation>实际大小(&amp;A)</translation>
    </message>
    <message>
        <source>Text and labels at the system&apos;s size</source>
        <translation>文字和标注恢复为系统大小</translation>
    </message>
    <message>
        <source>&amp;Reset Layout</source>
        <translation>重置布局(&amp;R)</translation>
    </message>
    <message>
        <source>Put every panel back where it was at the first start</source>
        <translation>把每个面板放回首次启动时的位置和大小</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Quick Start</source>
        <translation>快速入门(&amp;Q)</translation>
    </message>
    <message>
        <source>What to do first, and where to look</source>
        <translation>先做什么，看哪里</translation>
    </message>
    <message>
        <source>&amp;About ConvDesigner</source>
        <translation>关于 ConvDesigner(&amp;A)</translation>
    </message>
    <message>
        <source>Input: {c} channel(s) of {h}×{w} pixels · {n} layers · {p} parameters</source>
        <translation>输入：{c} 个 {h}×{w} 像素的通道 · {n} 层 · {p} 个参数</translation>
    </message>
    <message>
        <source>compute {compute:.1f} ms · render {render:.1f} ms · {device}</source>
        <translation>计算 {compute:.1f} ms · 绘制 {render:.1f} ms · {device}</translation>
    </message>
    <message>
        <source>How a map is made</source>
        <translation>特征图是怎样算出来的</translation>
    </message>
    <message>
        <source>All kernels</source>
        <translation>全部卷积核</translation>
    </message>
    <message>
        <source>Channel wiring</source>
        <translation>通道连接</translation>
    </message>
    <message>
        <source>Who connects to whom: which input channels each output channel reads; groups splits them into blocks</source>
        <translation>谁连到谁：每个输出通道读取哪些输入通道；groups 把它们分成若干块</translation>
    </message>
    <message>
        <source>How a feature map is made: each input map ⊛ its own sub-kernel gives a partial map; their sum plus the bias is the output feature map</source>
        <translation>特征图是怎样算出来的：每张输入图 ⊛ 各自的子卷积核得到一张部分特征图；它们的和加上偏置就是输出特征图</translation>
    </message>
    <message>
        <source>All kernels of the layer: every kernel (row) and its sub-kernels (one per input channel, across)</source>
        <translation>该层全部卷积核：每个卷积核（行）及其子卷积核（每个输入通道一个，横向排列）</translation>
    </message>
    <message>
        <source>Save the view you clicked last as a slide-ready PNG (3×) or SVG: light background, labels and colour bars, no buttons</source>
        <translation>把最后点击的视图保存为可直接放进幻灯片的 PNG（3 倍）或 SVG：浅色背景，带标注和色标，没有按钮</translation>
    </message>
    <message>
        <source>Computing… (about {duration}; Stop or Esc cancels)</source>
        <translation>正在计算…（约 {duration}；按“停止”或 Esc 取消）</translation>
    </message>
    <message>
        <source>Stopped: the views show the last finished update</source>
        <translation>已停止：各视图显示的是最后一次完成的更新</translation>
    </message>
    <message>
        <source>Not computed: {reason}</source>
        <translation>未计算：{reason}</translation>
    </message>
    <message>
        <source>Not applied: {problem} (the views show the last valid design)</source>
        <translation>未生效：{problem}（视图显示的是最后一个合法的设计）</translation>
    </message>
    <message>
        <source>Auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation>未命名</translation>
    </message>
    <message>
        <source>{name}[*] — ConvDesigner</source>
        <translation>{name}[*] — ConvDesigner</translation>
    </message>
    <message>
        <source>About ConvDesigner</source>
        <translation>关于 ConvDesigner</translation>
    </message>
    <message>
        <source>&lt;h3&gt;ConvDesigner {version}&lt;/h3&gt;&lt;p&gt;Design stacks of &lt;code&gt;nn.Conv2d&lt;/code&gt; layers and see how convolution works, live.&lt;/p&gt;&lt;p&gt;MNIST digits: Yann LeCun, Corinna Cortes and Christopher J.C. Burges (CC BY-SA 3.0).&lt;/p&gt;</source>
        <translation>&lt;h3&gt;ConvDesigner {version}&lt;/h3&gt;&lt;p&gt;设计由 &lt;code&gt;nn.Conv2d&lt;/code&gt; 层堆叠而成的网络，实时观察卷积是如何工作的。&lt;/p&gt;&lt;p&gt;MNIST 数字：Yann LeCun、Corinna Cortes 和 Christopher J.C. Burges（CC BY-SA 3.0）。&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>PaintCanvas</name>
    <message>
        <source>Paint with the left button; the right button erases. Every view follows the brush.</source>
        <translation>用左键绘制，右键擦除。所有视图都会随画笔实时更新。</translation>
    </message>
    <message>
        <source>channel {c}</source>
        <translation>通道 {c}</translation>
    </message>
    <message>
        <source>black = {low} · white = {high}, one scale for the 3 channels</source>
        <translation>黑 = {low} · 白 = {high}，3 个通道共用一个刻度</translation>
    </message>
    <message>
        <source>Eraser stroke</source>
        <translation>橡皮擦笔画</translation>
    </message>
    <message>
        <source>Brush stroke</source>
        <translation>画笔笔画</translation>
    </message>
    <message>
        <source>input ({y}, {x}) = {values}</source>
        <translation>输入 ({y}, {x}) = {values}</translation>
    </message>
</context>
<context>
    <name>PairEditor</name>
    <message>
        <source>{tip}
Height (the first number).</source>
        <extracomment>The largest number a QSpinBox holds (a C int).</extracomment>
        <translation>{tip}
高（第一个数）。</translation>
    </message>
    <message>
        <source>{tip}
Width (the second number).</source>
        <translation>{tip}
宽（第二个数）。</translation>
    </message>
    <message>
        <source>square</source>
        <translation>正方形</translation>
    </message>
    <message>
        <source>Keep height and width equal: a change to one changes both.</source>
        <translation>保持高和宽相等：改动其中一个会同时改动两者。</translation>
    </message>
</context>
<context>
    <name>PredictionView</name>
    <message>
        <source>probability</source>
        <translation>概率</translation>
    </message>
    <message>
        <source>digit</source>
        <translation>数字</translation>
    </message>
    <message>
        <source>The network&apos;s answer for the input: the softmax of its 10 outputs, one bar per digit. Paint and watch it change.</source>
        <translation>网络对输入的回答：10 个输出的 softmax，每个数字一根柱。画一画，看它如何变化。</translation>
    </message>
    <message>
        <source>Waiting for the first update…</source>
        <translation>等待第一次更新…</translation>
    </message>
    <message>
        <source>The output is {shape}, not 10 values: add a classifier head to see what the network thinks.</source>
        <translation>输出是 {shape}，不是 10 个值：添加分类头，看看网络怎么想。</translation>
    </message>
    <message>
        <source>It thinks: {digit} ({percent:.1f} %)</source>
        <translation>它认为是：{digit}（{percent:.1f} %）</translation>
    </message>
</context>
<context>
    <name>PrepareDialog</name>
    <message>
        <source>the picture</source>
        <translation>该图片</translation>
    </message>
    <message>
        <source>Prepare the picture like an MNIST digit</source>
        <translation>像 MNIST 数字那样预处理图片</translation>
    </message>
    <message>
        <source>Networks trained on MNIST expect light ink on black, 28×28, the digit fitted into 20×20 and centred by its mass. This is your picture prepared that way:</source>
        <translation>在 MNIST 上训练的网络期望的是黑底浅色笔迹、28×28、数字缩放到 20×20 并按质心居中。这是按此方式处理后的图片：</translation>
    </message>
    <message>
        <source>Your picture; the orange box is where the ink was found</source>
        <translation>你的图片；橙色方框是找到笔迹的位置</translation>
    </message>
    <message>
        <source>The 28×28 digit the network receives; the orange cross is its centre of mass</source>
        <translation>网络接收到的 28×28 数字；橙色十字是它的质心</translation>
    </message>
    <message>
        <source>colour</source>
        <translation>彩色</translation>
    </message>
    <message>
        <source>grey</source>
        <translation>灰度</translation>
    </message>
    <message>
        <source>&lt;b&gt;What you gave&lt;/b&gt;&lt;br&gt;{width}×{height} pixels, {colour}</source>
        <translation>&lt;b&gt;你提供的图片&lt;/b&gt;&lt;br&gt;{width}×{height} 像素，{colour}</translation>
    </message>
    <message>
        <source>&lt;b&gt;What the network receives&lt;/b&gt;&lt;br&gt;{side}×{side}, inverted if dark-on-light, ink fitted into {fit}×{fit}, centred by mass</source>
        <translation>&lt;b&gt;网络接收到的图片&lt;/b&gt;&lt;br&gt;{side}×{side}，浅底深色时反相，笔迹缩放到 {fit}×{fit}，按质心居中</translation>
    </message>
    <message>
        <source>yes — dark ink on a light background became light ink on black</source>
        <translation>是 — 浅色背景上的深色笔迹变成了黑底浅色笔迹</translation>
    </message>
    <message>
        <source>no — it already was light ink on a dark background</source>
        <translation>否 — 它本来就是深色背景上的浅色笔迹</translation>
    </message>
    <message>
        <source>rows {top}–{bottom}, columns {left}–{right} ({ink_w}×{ink_h} pixels of ink)</source>
        <translation>行 {top}–{bottom}，列 {left}–{right}（笔迹 {ink_w}×{ink_h} 像素）</translation>
    </message>
    <message>
        <source>row {row:.2f}, column {column:.2f} (MNIST: {mr:g}, {mc:g})</source>
        <translation>行 {row:.2f}，列 {column:.2f}（MNIST：{mr:g}, {mc:g}）</translation>
    </message>
    <message>
        <source>A picture is inverted when its border (the background) is lighter than its middle</source>
        <translation>当图片的边缘（背景）比中间亮时，会将其反相</translation>
    </message>
    <message>
        <source>Where the ink is in your picture (first and last row and column, counted from 0)</source>
        <translation>笔迹在你的图片中的位置（首末行和列，从 0 开始计数）</translation>
    </message>
    <message>
        <source>The prepared digit&apos;s centre of mass; MNIST centres every digit&apos;s mass at the middle of 28×28</source>
        <translation>处理后数字的质心；MNIST 将每个数字的质心放在 28×28 的中心</translation>
    </message>
    <message>
        <source>Inverted:</source>
        <translation>反相：</translation>
    </message>
    <message>
        <source>Ink bounding box:</source>
        <translation>笔迹边界框：</translation>
    </message>
    <message>
        <source>Centre of mass:</source>
        <translation>质心：</translation>
    </message>
    <message>
        <source>Use prepared</source>
        <translation>使用处理后的</translation>
    </message>
    <message>
        <source>Put the 28×28 MNIST-style digit on the input</source>
        <translation>将 28×28 的 MNIST 风格数字放到输入上</translation>
    </message>
    <message>
        <source>Use as it is</source>
        <translation>按原样使用</translation>
    </message>
    <message>
        <source>Put your picture on the input unchanged (fitted to the input&apos;s size and channels)</source>
        <translation>将你的图片不加处理地放到输入上（仅适配输入的尺寸和通道数）</translation>
    </message>
    <message>
        <source>Leave the input as it is</source>
        <translation>保持输入不变</translation>
    </message>
    <message>
        <source>Cannot prepare the picture</source>
        <translation>无法预处理该图片</translation>
    </message>
</context>
<context>
    <name>Presentation</name>
    <message>
        <source>Shown in presentation mode (Esc leaves)</source>
        <translation>正在演示模式中显示（按 Esc 退出）</translation>
    </message>
</context>
<context>
    <name>PresentationScreen</name>
    <message>
        <source>ConvDesigner — presentation</source>
        <extracomment>Body text in presentation mode, in points at 1920×1080 (the zoom grows with taller screens).</extracomment>
        <translation>ConvDesigner — 演示</translation>
    </message>
    <message>
        <source>The view to show</source>
        <translation>要显示的视图</translation>
    </message>
    <message>
        <source>Light, high contrast</source>
        <translation>浅色高对比度</translation>
    </message>
    <message>
        <source>Black on white: easier to read on a projector in a lit room</source>
        <translation>白底黑字：在明亮教室的投影仪上更易读</translation>
    </message>
    <message>
        <source>Esc leaves</source>
        <translation>Esc 退出</translation>
    </message>
</context>
<context>
    <name>QuickStartOverlay</name>
    <message>
        <source>Got it</source>
        <translation>知道了</translation>
    </message>
    <message>
        <source>Hide this note (Help ▸ Quick Start shows it again)</source>
        <translation>隐藏这条提示（帮助 ▸ 快速入门可再次显示）</translation>
    </message>
    <message>
        <source>&lt;b&gt;Paint a digit&lt;/b&gt; in the &lt;b&gt;Input&lt;/b&gt; panel on the right (left button draws, right button erases), or pick one under &lt;b&gt;MNIST digits&lt;/b&gt;.</source>
        <translation>在右侧的&lt;b&gt;输入&lt;/b&gt;面板里&lt;b&gt;画一个数字&lt;/b&gt;（左键画，右键擦），或在 &lt;b&gt;MNIST 数字&lt;/b&gt;中挑一个。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Watch&lt;/b&gt; “How a map is made” here in the centre and the &lt;b&gt;Feature maps&lt;/b&gt; below follow your brush.</source>
        <translation>&lt;b&gt;观察&lt;/b&gt;中间的“特征图是怎样算出来的”和下方的&lt;b&gt;特征图&lt;/b&gt;随笔画实时变化。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Click a pixel&lt;/b&gt; of a feature map: &lt;b&gt;Explain a pixel&lt;/b&gt; shows its arithmetic, and &lt;b&gt;▶ Play&lt;/b&gt; slides the kernel over the input.</source>
        <translation>&lt;b&gt;点击特征图上的一个像素&lt;/b&gt;：&lt;b&gt;解释像素&lt;/b&gt;会列出它的计算过程，&lt;b&gt;▶ 播放&lt;/b&gt;让卷积核在输入上滑动。</translation>
    </message>
    <message>
        <source>F5: presentation mode · Ctrl+= / Ctrl+−: larger / smaller text</source>
        <translation>F5：演示模式 · Ctrl+= / Ctrl+−：放大 / 缩小文字</translation>
    </message>
    <message>
        <source>Quick start</source>
        <translation>快速入门</translation>
    </message>
</context>
<context>
    <name>SelectedKernelView</name>
    <message>
        <source>The selected kernel: one sub-kernel per input channel, labelled with that channel&apos;s number.
Click a sub-kernel to select it · wheel: zoom · drag: pan · double-click: reset the view</source>
        <translation>所选卷积核：每个输入通道一个子卷积核，并标有该通道的编号。
单击子卷积核即可选中 · 滚轮：缩放 · 拖动：平移 · 双击：重置视图</translation>
    </message>
    <message>
        <source>Selected kernel</source>
        <translation>所选卷积核</translation>
    </message>
    <message>
        <source>+ bias {bias}</source>
        <translation>+ 偏置 {bias}</translation>
    </message>
    <message>
        <source>(no bias)</source>
        <translation>（无偏置）</translation>
    </message>
    <message>
        <source>(one per input channel of its group: channels {first}–{last})</source>
        <translation>（本组每个输入通道一个：通道 {first}–{last}）</translation>
    </message>
    <message>
        <source>(one per input channel)</source>
        <translation>（每个输入通道一个）</translation>
    </message>
    <message>
        <source>Kernel {kernel} of layer {layer}: {count} sub-kernel of {size} {reads} {bias}</source>
        <translation>第 {layer} 层的卷积核 {kernel}：{count} 个 {size} 子卷积核{reads} {bias}</translation>
    </message>
    <message>
        <source>Kernel {kernel} of layer {layer}: {count} sub-kernels of {size} {reads} {bias}</source>
        <translation>第 {layer} 层的卷积核 {kernel}：{count} 个 {size} 子卷积核{reads} {bias}</translation>
    </message>
    <message>
        <source>layer {layer} · kernel {kernel} · sub-kernel {sub_kernel} (input channel {channel})</source>
        <translation>第 {layer} 层 · 卷积核 {kernel} · 子卷积核 {sub_kernel}（输入通道 {channel}）</translation>
    </message>
</context>
<context>
    <name>SumView</name>
    <message>
        <source>Order by contribution</source>
        <translation>按贡献排序</translation>
    </message>
    <message>
        <source>Put the input channels whose partial maps are largest (mean |value|) first. Channel numbers stay on every triplet.</source>
        <translation>将部分特征图最大（平均 |值|）的输入通道排在前面。每组图上都保留通道编号。</translation>
    </message>
    <message>
        <source>Show all</source>
        <translation>全部显示</translation>
    </message>
    <message>
        <source>Draw the triplets of every input channel, not only the {few} that contribute most</source>
        <translation>画出每个输入通道的三联图，而不只是贡献最大的 {few} 个</translation>
    </message>
    <message>
        <source>Which input channels this output channel reads, and how many are drawn</source>
        <translation>该输出通道读取哪些输入通道，以及画出了多少个</translation>
    </message>
    <message>
        <source>For each input channel: its map ⊛ its own sub-kernel = its partial map. Each kind has its own colour scale.
Click a triplet to select that sub-kernel · wheel: zoom · double-click: reset the view</source>
        <translation>每个输入通道：它的输入图 ⊛ 它自己的子卷积核 = 它的部分特征图。每类图各有自己的色标。
单击一组图即可选中该子卷积核 · 滚轮：缩放 · 双击：重置视图</translation>
    </message>
    <message>
        <source>The sum of all partial maps, and that sum plus the bias: the output channel (before any activation)</source>
        <translation>所有部分特征图之和，以及该和加上偏置：即输出通道（激活函数之前）</translation>
    </message>
    <message>
        <source>How an output channel is computed</source>
        <translation>一个输出通道是怎样算出来的</translation>
    </message>
    <message>
        <source>Select a Conv2d layer to see how each of its output channels is computed from all of its input channels.</source>
        <translation>选择一个 Conv2d 层，查看它的每个输出通道是怎样由所有输入通道算出来的。</translation>
    </message>
    <message>
        <source>{layer} is not a convolution: it works on every value on its own, with no sum over channels. Select a Conv2d layer to see how its output channels are made.</source>
        <translation>{layer}不是卷积：它逐个作用于每个值，不对通道求和。选择一个 Conv2d 层，查看其输出通道是怎样得到的。</translation>
    </message>
    <message>
        <source>Computing output channel {channel} of layer {layer}…</source>
        <translation>正在计算第 {layer} 层的输出通道 {channel}…</translation>
    </message>
    <message>
        <source>the {shown} strongest of {count} input channels</source>
        <translation>{count} 个输入通道中最强的 {shown} 个</translation>
    </message>
    <message>
        <source>all {count} input channel</source>
        <translation>全部 {count} 个输入通道</translation>
    </message>
    <message>
        <source>all {count} input channels</source>
        <translation>全部 {count} 个输入通道</translation>
    </message>
    <message>
        <source>largest mean |partial| first</source>
        <translation>平均 |部分特征图| 最大的在前</translation>
    </message>
    <message>
        <source>in channel order</source>
        <translation>按通道顺序</translation>
    </message>
    <message>
        <source>{name} ±{level}</source>
        <translation>{name} ±{level}</translation>
    </message>
    <message>
        <source>input maps</source>
        <translation>输入图</translation>
    </message>
    <message>
        <source>sub-kernels</source>
        <translation>子卷积核</translation>
    </message>
    <message>
        <source>partial maps</source>
        <translation>部分特征图</translation>
    </message>
    <message>
        <source>Show all {count}</source>
        <translation>全部显示 {count} 个</translation>
    </message>
    <message>
        <source>most −</source>
        <translation>最负</translation>
    </message>
    <message>
        <source>most +</source>
        <translation>最正</translation>
    </message>
    <message>
        <source>blue − · white 0 · red +</source>
        <translation>蓝 − · 白 0 · 红 +</translation>
    </message>
    <message>
        <source>the {shown} of {count} input channels that contribute most</source>
        <translation>{count} 个输入通道中贡献最大的 {shown} 个</translation>
    </message>
    <message>
        <source>&lt;b&gt;input map ⊛ sub-kernel = partial map&lt;/b&gt; · {what}, {order}&lt;br&gt;Colour: blue = negative, white = 0, red = positive. Not one shared scale: each kind has its own ({scales}), so compare colours within a kind only.</source>
        <translation>&lt;b&gt;输入图 ⊛ 子卷积核 = 部分特征图&lt;/b&gt; · {what}，{order}&lt;br&gt;颜色：蓝 = 负，白 = 0，红 = 正。三类图不共用一个色标，各有各的（{scales}），所以只在同一类图之间比较颜色。</translation>
    </message>
    <message>
        <source>value (one scale for both)</source>
        <translation>数值（两张图共用一个色标）</translation>
    </message>
    <message>
        <source>+ bias = feature map {channel}</source>
        <translation>+ 偏置 = 特征图 {channel}</translation>
    </message>
    <message>
        <source>{sum} + bias {bias} = feature map {channel} (the convolution&apos;s output, before any activation)</source>
        <translation>{sum} + 偏置 {bias} = 特征图 {channel}（卷积的输出，激活函数之前）</translation>
    </message>
    <message>
        <source>&lt;b&gt;Output channel {channel} of layer {layer}&lt;/b&gt; = Σ over {count} input channel (input map ⊛ its own {kernel} sub-kernel) + bias</source>
        <translation>&lt;b&gt;第 {layer} 层的输出通道 {channel}&lt;/b&gt; = 对 {count} 个输入通道求和 Σ（输入图 ⊛ 各自的 {kernel} 子卷积核）+ 偏置</translation>
    </message>
    <message>
        <source>&lt;b&gt;Output channel {channel} of layer {layer}&lt;/b&gt; = Σ over {count} input channels (input map ⊛ its own {kernel} sub-kernel) + bias</source>
        <translation>&lt;b&gt;第 {layer} 层的输出通道 {channel}&lt;/b&gt; = 对 {count} 个输入通道求和 Σ（输入图 ⊛ 各自的 {kernel} 子卷积核）+ 偏置</translation>
    </message>
    <message>
        <source>groups={groups}: output channel {channel} is in group {group}, which reads input channels {first}–{last} only</source>
        <translation>groups={groups}：输出通道 {channel} 属于第 {group} 组，只读取输入通道 {first}–{last}</translation>
    </message>
    <message>
        <source>showing the {shown} of {count} that contribute most (largest mean |partial map|); the Σ adds all of them</source>
        <translation>显示 {count} 个中贡献最大的 {shown} 个（|部分特征图| 平均值最大）；Σ 把全部相加</translation>
    </message>
    <message>
        <source>showing {shown} of {count} (the strongest: largest mean |partial map|); the Σ adds all of them</source>
        <translation>显示 {count} 个中的 {shown} 个（最强的：平均 |部分特征图| 最大）；Σ 对全部求和</translation>
    </message>
    <message>
        <source>bias = {bias}</source>
        <translation>偏置 = {bias}</translation>
    </message>
    <message>
        <source>input map {channel}</source>
        <translation>输入图 {channel}</translation>
    </message>
    <message>
        <source>layer {layer} · kernel {kernel} · sub-kernel {sub_kernel} (input channel {channel})</source>
        <translation>第 {layer} 层 · 卷积核 {kernel} · 子卷积核 {sub_kernel}（输入通道 {channel}）</translation>
    </message>
    <message>
        <source>partial map of input channel {channel} (input map {channel} ⊛ sub-kernel {sub_kernel})</source>
        <translation>输入通道 {channel} 的部分特征图（输入图 {channel} ⊛ 子卷积核 {sub_kernel}）</translation>
    </message>
    <message>
        <source>{sum} (+ bias {bias} → {output})</source>
        <translation>{sum}（+ 偏置 {bias} → {output}）</translation>
    </message>
    <message>
        <source>feature map {channel} of layer {layer}</source>
        <translation>第 {layer} 层的特征图 {channel}</translation>
    </message>
    <message>
        <source>Σ of the {count} partial map</source>
        <translation>{count} 张部分特征图之和 Σ</translation>
    </message>
    <message>
        <source>Σ of the {count} partial maps</source>
        <translation>{count} 张部分特征图之和 Σ</translation>
    </message>
</context>
<context>
    <name>TermsView</name>
    <message>
        <source>in {channel}:</source>
        <translation>输入 {channel}：</translation>
    </message>
    <message>
        <source>Σ = {sum}</source>
        <translation>Σ = {sum}</translation>
    </message>
    <message>
        <source>Σ =</source>
        <translation>Σ =</translation>
    </message>
    <message>
        <source>input channel {channel}, row {row}, column {col} = {value}</source>
        <translation>输入通道 {channel}，第 {row} 行，第 {col} 列 = {value}</translation>
    </message>
    <message>
        <source>outside the input: padding ({mode})</source>
        <translation>输入之外：填充（{mode}）</translation>
    </message>
    <message>
        <source>weight[{o}, {j}, {ky}, {kx}] = {value}</source>
        <translation>weight[{o}, {j}, {ky}, {kx}] = {value}</translation>
    </message>
    <message>
        <source>{a} × {b} = {value}
(exactly {exact})</source>
        <translation>{a} × {b} = {value}
（精确值 {exact}）</translation>
    </message>
</context>
<context>
    <name>TrainPanel</name>
    <message>
        <source>Settings</source>
        <extracomment>How often the curves and the progress bar are redrawn while training (seconds). How long the panel must have been shown before a training process is started in advance. &quot;bundled&quot;, (images, labels) paths, or TrainingData (tests).</extracomment>
        <translation>设置</translation>
    </message>
    <message>
        <source>Show or hide the settings. They fold away when you press Start, so that the curves show.</source>
        <translation>显示或隐藏设置。按下“开始”时设置会收起，好让曲线露出来。</translation>
    </message>
    <message>
        <source>Bundled digits</source>
        <translation>内置数字</translation>
    </message>
    <message>
        <source>MNIST IDX files…</source>
        <translation>MNIST IDX 文件…</translation>
    </message>
    <message>
        <source>The bundled digits: the first 80 % of each label&apos;s digits are trained on, the last 20 % (mnist:L:i with i ≥ round(0.8·n)) never are, and accuracy is measured on them. MNIST IDX files: an image file and its label file (e.g. the 60,000 training digits), trained on whole; accuracy is still measured on the bundled held-out digits.</source>
        <translation>内置数字：每个标签的前 80 % 用于训练，后 20 %（mnist:L:i，i ≥ round(0.8·n)）从不参与训练，准确率就在它们上面测量。MNIST IDX 文件：一个图像文件和它的标签文件（例如 60,000 个训练数字），全部用于训练；准确率仍在内置的留出数字上测量。</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>Adam</source>
        <translation>Adam</translation>
    </message>
    <message>
        <source>SGD with momentum 0.9</source>
        <translation>SGD（动量 0.9）</translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation>优化器</translation>
    </message>
    <message>
        <source>How big a step the weights take each time: too small learns slowly, too large diverges. {lr} is twice PyTorch&apos;s default for Adam: on the 8,000 bundled digits, 3 epochs get further with it.</source>
        <translation>权重每次迈出的步子有多大：太小学得慢，太大会发散。{lr} 是 PyTorch 中 Adam 默认值的两倍：在 8,000 个内置数字上，用它训练 3 轮能学得更好。</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Constant</source>
        <translation>恒定</translation>
    </message>
    <message>
        <source>Falls to 0</source>
        <translation>降到 0</translation>
    </message>
    <message>
        <source>Constant: the same learning rate for the whole run. Falls to 0: it starts at the learning rate above and falls in a straight line to 0 at the last step, so the weights take big steps first and then settle (learning-rate annealing).</source>
        <translation>恒定：整个训练过程使用同一个学习率。降到 0：从上面的学习率开始，沿直线下降，在最后一步降到 0，于是权重先迈大步，再慢慢稳定下来（学习率退火）。</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>学习率变化</translation>
    </message>
    <message>
        <source>Digits per step: the loss is averaged over them.</source>
        <translation>每一步使用的数字个数：损失取它们的平均。</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>Passes over all the training digits.</source>
        <translation>遍历全部训练数字的次数。</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>轮数（epoch）</translation>
    </message>
    <message>
        <source>Orders the digits and seeds Dropout: on the CPU the same seed and settings give the same weights, bit for bit.</source>
        <translation>决定数字的顺序和 Dropout 的随机数：在 CPU 上，相同的随机种子和设置得到逐位相同的权重。</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Add a classifier head</source>
        <translation>添加分类头</translation>
    </message>
    <message>
        <source>Append Flatten() and Linear(C·H·W, 10) sized to the current output (one undo step).</source>
        <translation>在末尾添加 Flatten() 和按当前输出大小设定的 Linear(C·H·W, 10)（一步撤销）。</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop after this step; the weights learnt so far are kept (one undo step).</source>
        <translation>在这一步之后停止；保留目前学到的权重（一步撤销）。</translation>
    </message>
    <message>
        <source>not started</source>
        <translation>尚未开始</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>training (each step)</source>
        <translation>训练（每步）</translation>
    </message>
    <message>
        <source>held-out (each epoch)</source>
        <translation>留出集（每轮）</translation>
    </message>
    <message>
        <source>accuracy %</source>
        <translation>准确率 %</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>轮</translation>
    </message>
    <message>
        <source>training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>held-out</source>
        <translation>留出集</translation>
    </message>
    <message>
        <source>Weights during training</source>
        <translation>训练过程中的权重</translation>
    </message>
    <message>
        <source>Scrub back through training: the views show the weights of that moment.</source>
        <translation>拖动回看训练过程：各视图显示那一时刻的权重。</translation>
    </message>
    <message>
        <source>Keep these weights</source>
        <translation>保留这些权重</translation>
    </message>
    <message>
        <source>Make the weights shown the design&apos;s (one undo step).</source>
        <translation>把所显示的权重设为设计的权重（一步撤销）。</translation>
    </message>
    <message>
        <source>{optimizer} · lr {lr} · batch {batch} · 1 epoch · seed {seed} · {device} · {data}</source>
        <translation>{optimizer} · 学习率 {lr} · 批大小 {batch} · 1 轮 · 随机种子 {seed} · {device} · {data}</translation>
    </message>
    <message>
        <source>{optimizer} · lr {lr} · batch {batch} · {epochs} epochs · seed {seed} · {device} · {data}</source>
        <translation>{optimizer} · 学习率 {lr} · 批大小 {batch} · {epochs} 轮 · 随机种子 {seed} · {device} · {data}</translation>
    </message>
    <message>
        <source>Loading the digits and building the model…</source>
        <translation>正在加载数字并构建模型…</translation>
    </message>
    <message>
        <source>Open MNIST IDX images</source>
        <translation>打开 MNIST IDX 图像</translation>
    </message>
    <message>
        <source>IDX image files (*idx3* *.idx *.gz);;All files (*)</source>
        <translation>IDX 图像文件 (*idx3* *.idx *.gz);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Open the matching IDX labels</source>
        <translation>打开对应的 IDX 标签</translation>
    </message>
    <message>
        <source>IDX label files (*idx1* *.idx *.gz);;All files (*)</source>
        <translation>IDX 标签文件 (*idx1* *.idx *.gz);;所有文件 (*)</translation>
    </message>
    <message>
        <source>IDX: {images} + {labels}</source>
        <translation>IDX：{images} + {labels}</translation>
    </message>
    <message>
        <source>Those weights are now the design&apos;s (Undo gives back the others).</source>
        <translation>这些权重现在是设计的权重（撤销可恢复原来的权重）。</translation>
    </message>
    <message>
        <source>The design has a problem; fix it to train: {problem}</source>
        <translation>设计有问题；修正后才能训练：{problem}</translation>
    </message>
    <message>
        <source>These IDX files cannot be used: {problem}</source>
        <translation>无法使用这些 IDX 文件：{problem}</translation>
    </message>
    <message>
        <source>The digits are {digits}, but the design&apos;s input is {shape}: set the input to {digits} (or larger: the digits are then centred on it) to train.</source>
        <translation>数字是 {digits}，但设计的输入是 {shape}：把输入设为 {digits}（或更大：数字会放在它的正中）才能训练。</translation>
    </message>
    <message>
        <source>Accuracy is measured on the bundled held-out digits, which are {digits}, but the design&apos;s input is {shape}: set the input to {digits} or larger to train.</source>
        <translation>准确率是在内置的留出数字上测量的，它们是 {digits}，但设计的输入是 {shape}：把输入设为 {digits} 或更大才能训练。</translation>
    </message>
    <message>
        <source>The {size} digits are centred on the {shape} input, with zeros around them, as the input view shows.</source>
        <translation>{size} 的数字放在 {shape} 输入的正中，四周补零，就像输入视图中显示的那样。</translation>
    </message>
    <message>
        <source>The design has no weights to train: add a Conv2d or Linear layer.</source>
        <translation>设计没有可训练的权重：请添加 Conv2d 或 Linear 层。</translation>
    </message>
    <message>
        <source>Training sorts digits into 10 classes, but the output is {shape}: add a classifier head.</source>
        <translation>训练要把数字分成 10 类，但输出是 {shape}：请添加分类头。</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Paused: paint on, or look around; Resume goes on.</source>
        <translation>已暂停：可以继续画或四处看看；点“继续”接着训练。</translation>
    </message>
    <message>
        <source>Epoch {epoch}/{epochs} · step {step}/{steps} · {left} left</source>
        <translation>第 {epoch}/{epochs} 轮 · 第 {step}/{steps} 步 · 剩余 {left}</translation>
    </message>
    <message>
        <source>Training: loss {loss:.4f} · {rate:,.0f} digits/s</source>
        <translation>训练中：损失 {loss:.4f} · 每秒 {rate:,.0f} 个数字</translation>
    </message>
    <message>
        <source>Held-out accuracy: {accuracy:.2f} %</source>
        <translation>留出集准确率：{accuracy:.2f} %</translation>
    </message>
    <message>
        <source>Recording: scrub them when the run ends.</source>
        <translation>正在记录：训练结束后即可拖动查看。</translation>
    </message>
    <message>
        <source>No snapshots yet: train to record some.</source>
        <translation>还没有快照：训练时会记录。</translation>
    </message>
    <message>
        <source>Showing {when} ({number} of {count})</source>
        <translation>显示：{when}（第 {number} 个，共 {count} 个）</translation>
    </message>
    <message>
        <source>before training</source>
        <extracomment>How often the worker hands the GUI the current weights (seconds): about 5 previews a second (between two steps, so never more often than steps finish). The most weight snapshots kept for scrubbing. About this many snapshots are taken during a run (besides one per epoch).</extracomment>
        <translation>训练前</translation>
    </message>
    <message>
        <source>epoch {epoch}, step {step}</source>
        <translation>第 {epoch} 轮第 {step} 步</translation>
    </message>
    <message>
        <source>Keep the weights of {when}</source>
        <extracomment>Where training digits come from: &quot;bundled&quot;, an (images, labels) pair of IDX paths, or ready :class:`TrainingData` (tests). Seconds from Start to the training process&apos;s being ready to train (None before), and what the process says it spent them on (import, build, warm-up); benchmarks. Whether :meth:`prepare` starts a training process in advance (the app: True). Whether the last run was handed to a process started in advance (tests, benchmarks). Set while the training process waits in a pause (tests: nothing more arrives until Resume).</extracomment>
        <translation>保留{when}的权重</translation>
    </message>
    <message>
        <source>Not trained: {reason}</source>
        <translation>未训练：{reason}</translation>
    </message>
    <message>
        <source>Training diverged and was stopped: {reason}</source>
        <translation>训练发散，已停止：{reason}</translation>
    </message>
    <message>
        <source>Train {steps} steps, stopped ({optimizer}, lr {lr})</source>
        <translation>训练 {steps} 步后停止（{optimizer}，lr {lr}）</translation>
    </message>
    <message>
        <source>Train {epochs} epoch ({optimizer}, lr {lr})</source>
        <translation>训练 {epochs} 轮（{optimizer}，lr {lr}）</translation>
    </message>
    <message>
        <source>Train {epochs} epochs ({optimizer}, lr {lr})</source>
        <translation>训练 {epochs} 轮（{optimizer}，lr {lr}）</translation>
    </message>
    <message>
        <source>Stopped before the first step: the weights are unchanged.</source>
        <translation>在第一步之前就停止了：权重没有改变。</translation>
    </message>
    <message>
        <source>Stopped after {steps} steps; those weights are kept (Undo gives back the weights before training).</source>
        <translation>训练 {steps} 步后停止；保留这些权重（撤销可恢复训练前的权重）。</translation>
    </message>
    <message>
        <source>Done: the trained weights are the design&apos;s (Undo gives back the weights before training).</source>
        <translation>完成：训练得到的权重已成为设计的权重（撤销可恢复训练前的权重）。</translation>
    </message>
    <message>
        <source>But it has not learned: {accuracy} of the held-out digits are right, no better than guessing one of 10. The learning rate {lr} may be too large (or too small).</source>
        <translation>但它没有学到东西：留出数字中只有 {accuracy} 判断正确，并不比在 10 个数字里瞎猜更好。学习率 {lr} 可能太大（或太小）了。</translation>
    </message>
    <message>
        <source>The layers were changed while training, so the trained weights were not applied.</source>
        <translation>训练期间层被修改了，因此没有应用训练得到的权重。</translation>
    </message>
    <message>
        <source>the training process could not start ({reason})</source>
        <translation>训练进程无法启动（{reason}）</translation>
    </message>
    <message>
        <source>the training process ended unexpectedly (exit code {code})</source>
        <translation>训练进程意外结束（退出码 {code}）</translation>
    </message>
</context>
<context>
    <name>Training</name>
    <message>
        <source>the loss became {loss} at step {step} of epoch {epoch} (the learning rate {lr} is probably too large); the weights are as they were before the run</source>
        <extracomment>The lupdate context of this module&apos;s user-visible texts (see :mod:`convdesigner.design.i18n`). How the learning rate goes over a run: ``constant``, or ``linear`` -- it falls in a straight line from ``lr`` at the first step towards 0 after the last (see :func:`learning_rate`). SGD&apos;s momentum (the usual choice; the Train panel and the command line do not change it). Held-out digits evaluated per forward pass. A batch loss above this counts as divergence, as NaN and infinity do: a cross-entropy of 10,000 means the right class scores 10,000 below the others -- the weights have blown up, and the softmax cross-entropy (computed stably) would otherwise stay finite while they go on growing. Held-out accuracy at or below this after a whole run is no better than guessing one of 10 digits (10 %, with some slack): typically a learning rate so large that the weights collapse to one answer without the loss ever becoming NaN -- which the divergence check cannot see. Why the run diverged (translatable: the app shows it in the user&apos;s language), or None. Why the device is not the one asked for, or None. The report of the newest step (None before the first).</extracomment>
        <translation>第 {epoch} 轮第 {step} 步的损失变成了 {loss}（学习率 {lr} 可能太大了）；权重已恢复为训练前的样子</translation>
    </message>
    <message>
        <source>the held-out loss became {loss} after epoch {epoch}; the weights are as they were before the run</source>
        <translation>第 {epoch} 轮之后留出集的损失变成了 {loss}；权重已恢复为训练前的样子</translation>
    </message>
</context>
<context>
    <name>TransposedView</name>
    <message>
        <source>Scatter: stamp each input pixel</source>
        <extracomment>Input channels drawn as rows (the strongest ones); the Σ always adds all of them.</extracomment>
        <translation>散布：逐个输入像素盖印章</translation>
    </message>
    <message>
        <source>Gather: convolve a stretched input</source>
        <translation>汇集：对拉伸后的输入做卷积</translation>
    </message>
    <message>
        <source>Each input pixel puts its sub-kernel, scaled by its value, on the output; overlapping stamps add up.</source>
        <translation>每个输入像素把按其值缩放的子卷积核放到输出上；重叠的印章相加。</translation>
    </message>
    <message>
        <source>The same map as an ordinary convolution: zeros inserted between the input pixels, padding, and the kernel flipped.</source>
        <translation>与普通卷积得到的特征图相同：在输入像素之间插入零、加上填充，并把卷积核翻转。</translation>
    </message>
    <message>
        <source>Click a pixel of a map to see which input pixels and kernel taps reach it.</source>
        <translation>点击特征图中的一个像素，查看哪些输入像素和卷积核抽头作用到它。</translation>
    </message>
    <message>
        <source>Waiting for the first computed frame…</source>
        <translation>正在等待第一帧计算结果…</translation>
    </message>
    <message>
        <source>Select a ConvTranspose2d layer to see how each of its output channels is made from its input channels: by stamping, or as a convolution of a stretched input.</source>
        <translation>选择一个 ConvTranspose2d 层，查看它的每个输出通道是怎样由输入通道得到的：通过盖印章，或者作为对拉伸后输入的卷积。</translation>
    </message>
    <message>
        <source>How a transposed convolution is made</source>
        <translation>转置卷积是怎样算出来的</translation>
    </message>
    <message>
        <source>How output channel {channel} of layer {index} is made</source>
        <translation>第 {index} 层的输出通道 {channel} 是怎样算出来的</translation>
    </message>
    <message>
        <source>input {channel}</source>
        <translation>输入 {channel}</translation>
    </message>
    <message>
        <source>stretched {channel}</source>
        <translation>拉伸后的 {channel}</translation>
    </message>
    <message>
        <source>w[{channel}, {local}]</source>
        <translation>w[{channel}, {local}]</translation>
    </message>
    <message>
        <source>flipped w[{channel}, {local}]</source>
        <translation>翻转的 w[{channel}, {local}]</translation>
    </message>
    <message>
        <source>its map</source>
        <translation>它的特征图</translation>
    </message>
    <message>
        <source>Σ + bias = output {channel}</source>
        <translation>Σ + 偏置 = 输出 {channel}</translation>
    </message>
    <message>
        <source>stamps per output pixel</source>
        <translation>每个输出像素的印章数</translation>
    </message>
    <message>
        <source>Rows: the {shown} input channels that contribute most; the other {count} are in the Σ too. </source>
        <translation>各行：贡献最大的 {shown} 个输入通道；其余 {count} 个也在 Σ 中。</translation>
    </message>
    <message>
        <source>Σ of the {count} maps + bias {bias:.6g} = output channel {channel}. Largest difference from the map PyTorch computed: scatter {scatter:.3g}, gather {gather:.3g}.</source>
        <translation>{count} 张特征图之和 Σ + 偏置 {bias:.6g} = 输出通道 {channel}。与 PyTorch 算出的特征图的最大差异：散布 {scatter:.3g}，汇集 {gather:.3g}。</translation>
    </message>
    <message>
        <source>Pixel (y={y}, x={x}) of output channel {channel}: the stamps that land on it, input pixel × kernel tap</source>
        <translation>输出通道 {channel} 的像素 (y={y}, x={x})：落在它上面的印章，即 输入像素 × 卷积核抽头</translation>
    </message>
    <message>
        <source>input {channel}: {terms}  → Σ = {sum}</source>
        <translation>输入 {channel}：{terms}  → Σ = {sum}</translation>
    </message>
    <message>
        <source>bias = {bias}</source>
        <translation>偏置 = {bias}</translation>
    </message>
    <message>
        <source>= the value in the map</source>
        <translation>= 特征图中的值</translation>
    </message>
    <message>
        <source>≈ the value in the map (float32 rounding)</source>
        <translation>≈ 特征图中的值（float32 舍入）</translation>
    </message>
    <message>
        <source>total = Σ + bias = {total} {verdict} {value}</source>
        <translation>总和 = Σ + 偏置 = {total} {verdict} {value}</translation>
    </message>
    <message>
        <source>Scatter: each of the {h}×{w} pixels of an input channel stamps the {kh}×{kw} sub-kernel, scaled by its value, onto the output, {sh} rows and {sw} columns after its neighbour; where stamps overlap they add up. Bottom right: how many stamps each output pixel receives (uneven counts make the checkerboard).</source>
        <translation>散布：输入通道的 {h}×{w} 个像素各自把按其值缩放的 {kh}×{kw} 子卷积核印到输出上，与相邻像素的印章相隔 {sh} 行、{sw} 列；印章重叠处相加。右下：每个输出像素收到的印章数（数目不均匀就形成棋盘格）。</translation>
    </message>
    <message>
        <source>Gather: the same maps as an ordinary convolution (stride 1). The input gets {zh} zero rows and {zw} zero columns between its pixels (stride − 1), then padding {top} above and {bottom} below, {left} left and {right} right (dilation·(kernel_size − 1) − padding, plus output_padding after; a negative amount crops); the kernel is flipped by 180°. Dark cells: inserted zeros and padding.</source>
        <translation>汇集：与普通卷积（stride 为 1）得到的特征图相同。在输入像素之间插入 {zh} 行和 {zw} 列零（stride − 1），再在上方填充 {top}、下方 {bottom}、左侧 {left}、右侧 {right}（dilation·(kernel_size − 1) − padding，后侧再加 output_padding；为负时表示裁剪）；卷积核旋转 180°。深色格子：插入的零和填充。</translation>
    </message>
</context>
<context>
    <name>WeightChoiceDialog</name>
    <message>
        <source>Choose the weights for each layer</source>
        <translation>为每一层选择权重</translation>
    </message>
    <message>
        <source>Several tensors in {source} have the shape some layers need. Choose, for each layer, the weights it should take.</source>
        <translation>{source} 中有多个张量的形状符合某些层的需要。请为每一层选择它应使用的权重。</translation>
    </message>
    <message>
        <source>Layer {index}: {layer}</source>
        <translation>第 {index} 层：{layer}</translation>
    </message>
    <message>
        <source>Needs {shapes}</source>
        <translation>需要 {shapes}</translation>
    </message>
    <message>
        <source>The tensors of {source} whose shape fits this layer</source>
        <translation>{source} 中形状适合该层的张量</translation>
    </message>
    <message>
        <source>nothing fits: keeps its current weights</source>
        <translation>没有合适的：保留当前权重</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
</context>
<context>
    <name>WiringView</name>
    <message>
        <source>Lines</source>
        <extracomment>Up to this many connections the lines view draws them with QPainter one by one; above, it computes the image they make all at once (:func:`~convdesigner.design.wiring.density_image`), which costs the same for 8,192 lines as for 262,144. One colour per group (Tableau 10: distinct on white and on a dark background), cycled.</extracomment>
        <translation>连线</translation>
    </message>
    <message>
        <source>A line wherever an output channel reads an input channel</source>
        <translation>输出通道每读取一个输入通道就画一条线</translation>
    </message>
    <message>
        <source>Matrix</source>
        <translation>矩阵</translation>
    </message>
    <message>
        <source>One row per output channel (kernel), one column per input channel; a filled cell where the kernel reads that channel</source>
        <translation>每行一个输出通道（卷积核），每列一个输入通道；卷积核读取该通道的位置填充颜色</translation>
    </message>
    <message>
        <source>Channel wiring</source>
        <translation>通道连接</translation>
    </message>
    <message>
        <source>The input has no kernels. Select a Conv2d layer to see which input channels each of its kernels reads.</source>
        <translation>输入没有卷积核。选择一个 Conv2d 层，查看它的每个卷积核读取哪些输入通道。</translation>
    </message>
    <message>
        <source>[{index}] {kind}</source>
        <translation>[{index}] {kind}</translation>
    </message>
    <message>
        <source>[{index}] Conv2d: which input channels each kernel reads</source>
        <translation>[{index}] Conv2d：每个卷积核读取哪些输入通道</translation>
    </message>
    <message>
        <source>groups={groups} must be at least 1 and divide in_channels={inputs} and out_channels={outputs}.</source>
        <translation>groups={groups} 必须至少为 1，并且能整除 in_channels={inputs} 和 out_channels={outputs}。</translation>
    </message>
    <message>
        <source>[{index}] {kind} pools every channel on its own: output channel k comes from input channel k only, so there is no wiring between channels.</source>
        <translation>[{index}] {kind} 对每个通道单独池化：输出通道 k 只来自输入通道 k，因此通道之间没有连接。</translation>
    </message>
    <message>
        <source>[{index}] {kind} works on every value on its own: output channel k comes from input channel k only, so there is no wiring between channels.</source>
        <translation>[{index}] {kind} 逐个作用于每个值：输出通道 k 只来自输入通道 k，因此通道之间没有连接。</translation>
    </message>
    <message>
        <source>Select a Conv2d layer to see how its kernels mix channels.</source>
        <translation>选择一个 Conv2d 层，查看它的卷积核如何混合通道。</translation>
    </message>
    <message>
        <source>groups=1: each of the {outputs} kernels reads the one input channel — {weights} weights</source>
        <translation>groups=1：{outputs} 个卷积核都读取唯一的输入通道 — {weights} 个权重</translation>
    </message>
    <message>
        <source>groups=1: the one kernel reads all {inputs} input channels — {weights} weights</source>
        <translation>groups=1：唯一的卷积核读取全部 {inputs} 个输入通道 — {weights} 个权重</translation>
    </message>
    <message>
        <source>groups=1: each of the {outputs} kernels reads all {inputs} input channels — {weights} weights</source>
        <translation>groups=1：{outputs} 个卷积核各自读取全部 {inputs} 个输入通道 — {weights} 个权重</translation>
    </message>
    <message>
        <source>groups={groups} (depthwise): each kernel reads 1 of the {inputs} input channels — {groups}× fewer weights ({weights})</source>
        <translation>groups={groups}（逐通道）：每个卷积核只读取 {inputs} 个输入通道中的 1 个 — 权重减少为 1/{groups}（{weights} 个）</translation>
    </message>
    <message>
        <source>groups={groups}: each kernel reads {per_group} of the {inputs} input channels — {groups}× fewer weights ({weights})</source>
        <translation>groups={groups}：每个卷积核读取 {inputs} 个输入通道中的 {per_group} 个 — 权重减少为 1/{groups}（{weights} 个）</translation>
    </message>
</context>
<context>
    <name>_Picture</name>
    <message>
        <source>in {channel}</source>
        <translation>输入 {channel}</translation>
    </message>
    <message>
        <source>+ {count} more input maps: the same footprint, their own sub-kernels</source>
        <translation>+ 另外 {count} 张输入图：位置相同，各用自己的子卷积核</translation>
    </message>
    <message>
        <source>output {channel}</source>
        <translation>输出 {channel}</translation>
    </message>
</context>
<context>
    <name>_WiringCanvas</name>
    <message>
        <source>input {first}</source>
        <translation>输入 {first}</translation>
    </message>
    <message>
        <source>inputs {first}–{last}</source>
        <translation>输入 {first}–{last}</translation>
    </message>
    <message>
        <source>Output channel {out} (group {group}) reads {reads}. Click to select it.</source>
        <translation>输出通道 {out}（第 {group} 组）读取{reads}。单击即可选中。</translation>
    </message>
    <message>
        <source>Kernel {out} reads input channel {inp} (sub-kernel {sub}).</source>
        <translation>卷积核 {out} 读取输入通道 {inp}（子卷积核 {sub}）。</translation>
    </message>
    <message>
        <source>Kernel {out} does not read input channel {inp}: they are in different groups.</source>
        <translation>卷积核 {out} 不读取输入通道 {inp}：它们属于不同的组。</translation>
    </message>
    <message>
        <source>Input channel {inp} (group {group}) is read by outputs {first}–{last}.</source>
        <translation>输入通道 {inp}（第 {group} 组）被输出 {first}–{last} 读取。</translation>
    </message>
    <message>
        <source>{count} inputs</source>
        <translation>{count} 个输入</translation>
    </message>
    <message>
        <source>{count} outputs (kernels)</source>
        <translation>{count} 个输出（卷积核）</translation>
    </message>
    <message>
        <source>input channel →</source>
        <translation>输入通道 →</translation>
    </message>
    <message>
        <source>output channel (kernel) →</source>
        <translation>输出通道（卷积核）→</translation>
    </message>
</context>
<context>
    <name>analysis</name>
    <message>
        <source>{problem} (and {count} more problem)</source>
        <extracomment>The lupdate context of every text of this module. The largest integer PyTorch takes for any argument (int64). The largest kernel_size, stride, padding or dilation: PyTorch&apos;s pooling layers take C ints, and for Conv2d it keeps every product of the shape arithmetic (dilation·(kernel_size − 1), &apos;same&apos; padding) far inside int64, where PyTorch would otherwise overflow. The largest |negative_slope|: PyTorch converts it to the float32 of the tensors it scales. A tensor&apos;s shape per sample: ``(channels, height, width)`` for maps, ``(count,)`` for the vector that Flatten and Linear give. ``formula`` as translatable texts, line by line (``str(formula_texts[i]) == formula[i]``). False when the layer&apos;s weight shape is undefined (``groups`` does not divide ``in_channels``): ``parameters``, ``weights`` and ``macs`` are then 0 and must be shown as unknown, never as a number.</extracomment>
        <translation>{problem}（另有 {count} 个问题）</translation>
    </message>
    <message>
        <source>{problem} (and {count} more problems)</source>
        <translation>{problem}（另有 {count} 个问题）</translation>
    </message>
    <message>
        <source>input {name} must be at least 1, got {value}</source>
        <translation>输入{name}必须至少为 1，当前为 {value}</translation>
    </message>
    <message>
        <source>input {name} is {value:,}; the largest this app allows is {limit:,}</source>
        <translation>输入{name}为 {value:,}；本应用允许的最大值为 {limit:,}</translation>
    </message>
    <message>
        <source>{layer}: output {c}×{h}×{w} = {count:,} values is more than this app can show live ({limit:,})</source>
        <translation>{layer}：输出 {c}×{h}×{w} = {count:,} 个值，超过了本应用能实时显示的上限（{limit:,}）</translation>
    </message>
    <message>
        <source>channels</source>
        <extracomment>Words that fill a placeholder, translated like any template.</extracomment>
        <translation>通道数</translation>
    </message>
    <message>
        <source>height</source>
        <translation>高度</translation>
    </message>
    <message>
        <source>width</source>
        <translation>宽度</translation>
    </message>
    <message>
        <source>layer {index} ({kind})</source>
        <translation>第 {index} 层（{kind}）</translation>
    </message>
    <message>
        <source>{count:,} channel</source>
        <translation>{count:,} 个通道</translation>
    </message>
    <message>
        <source>{count:,} channels</source>
        <translation>{count:,} 个通道</translation>
    </message>
    <message>
        <source>element-wise: the shape does not change</source>
        <translation>逐元素运算：形状不变</translation>
    </message>
    <message>
        <source>layer {index}: unknown layer type {kind}</source>
        <translation>第 {index} 层：未知的层类型 {kind}</translation>
    </message>
    <message>
        <source>{layer}: {field} must be at least 1, got {value}</source>
        <translation>{layer}：{field} 必须至少为 1，当前为 {value}</translation>
    </message>
    <message>
        <source>{layer}: {field} is {value:,}; the largest this app allows is {limit:,}</source>
        <translation>{layer}：{field} 为 {value:,}；本应用允许的最大值为 {limit:,}</translation>
    </message>
    <message>
        <source>{layer}: groups must be at least 1, got {groups}</source>
        <translation>{layer}：groups 必须至少为 1，当前为 {groups}</translation>
    </message>
    <message>
        <source>{layer}: groups={groups} must divide in_channels={in_channels}</source>
        <translation>{layer}：groups={groups} 必须能整除 in_channels={in_channels}</translation>
    </message>
    <message>
        <source>{layer}: groups={groups} must divide out_channels={out_channels}</source>
        <translation>{layer}：groups={groups} 必须能整除 out_channels={out_channels}</translation>
    </message>
    <message>
        <source>{layer}: in_channels is {in_channels} but the input has {channels}</source>
        <translation>{layer}：in_channels 为 {in_channels}，但输入有 {channels}</translation>
    </message>
    <message>
        <source>{layer}: in_channels is {in_channels} but layer {previous} gives {channels}</source>
        <translation>{layer}：in_channels 为 {in_channels}，但第 {previous} 层输出 {channels}</translation>
    </message>
    <message>
        <source>{layer}: {field} must be at least {minimum}, got {value}</source>
        <translation>{layer}：{field} 必须至少为 {minimum}，当前为 {value}</translation>
    </message>
    <message>
        <source>{layer}: padding=&apos;same&apos; needs stride 1, but stride is {stride}</source>
        <translation>{layer}：padding=&apos;same&apos; 要求 stride 为 1，但 stride 为 {stride}</translation>
    </message>
    <message>
        <source>{layer}: padding must be at least 0, got {padding}</source>
        <translation>{layer}：padding 必须至少为 0，当前为 {padding}</translation>
    </message>
    <message>
        <source>{layer} works on C×H×W maps, but it gets a vector of {count:,} values; move it above the Flatten</source>
        <translation>{layer} 处理 C×H×W 特征图，但它得到的是一个含 {count:,} 个值的向量；请把它移到 Flatten 之前</translation>
    </message>
    <message>
        <source>out = C·H·W = {c}·{h}·{w} = {count:,} values per image (channel by channel, each map row by row)</source>
        <translation>out = C·H·W = {c}·{h}·{w} = 每张图像 {count:,} 个值（逐通道，每张特征图逐行）</translation>
    </message>
    <message>
        <source>already a vector of {count:,} values: the shape does not change</source>
        <translation>已经是含 {count:,} 个值的向量：形状不变</translation>
    </message>
    <message>
        <source>{layer}: p={p} must be between 0 and 1 (it is a probability)</source>
        <translation>{layer}：p={p} 必须在 0 到 1 之间（它是概率）</translation>
    </message>
    <message>
        <source>element-wise: the shape does not change (and outside training the values do not either)</source>
        <translation>逐元素：形状不变（训练之外，数值也不变）</translation>
    </message>
    <message>
        <source>{layer} expects a vector of {in_features:,} values, but gets {maps} maps ({count:,} values): add a Flatten before it</source>
        <translation>{layer} 需要一个含 {in_features:,} 个值的向量，但得到的是 {maps} 特征图（{count:,} 个值）：请在它前面添加 Flatten</translation>
    </message>
    <message>
        <source>layer {index}</source>
        <translation>第 {index} 层</translation>
    </message>
    <message>
        <source>{layer} expects {in_features:,} inputs, but {previous} gives {count:,} = {maps}: set in_features={count}</source>
        <translation>{layer} 需要 {in_features:,} 个输入，但{previous}给出 {count:,} = {maps} 个：请设 in_features={count}</translation>
    </message>
    <message>
        <source>{layer} expects {in_features:,} inputs, but {previous} gives {count:,}: set in_features={count}</source>
        <translation>{layer} 需要 {in_features:,} 个输入，但{previous}给出 {count:,} 个：请设 in_features={count}</translation>
    </message>
    <message>
        <source>{layer}: weight has shape {shape} but the layer needs {needed} (out_features, in_features)</source>
        <translation>{layer}：权重（weight）的形状是 {shape}，但该层需要 {needed}（out_features, in_features）</translation>
    </message>
    <message>
        <source>{layer}: bias has {count} values but the layer needs {needed} (one per output)</source>
        <translation>{layer}：偏置（bias）有 {count} 个值，但该层需要 {needed} 个（每个输出一个）</translation>
    </message>
    <message>
        <source>out = out_features = {out:,}: each output is a weighted sum of all {inputs:,} inputs{bias}</source>
        <translation>out = out_features = {out:,}：每个输出是全部 {inputs:,} 个输入的加权和{bias}</translation>
    </message>
    <message>
        <source> plus its bias</source>
        <translation>再加上它的偏置</translation>
    </message>
    <message>
        <source>{layer}: {field} is {value} but the input has {channels}</source>
        <translation>{layer}：{field} 为 {value}，但输入有 {channels}</translation>
    </message>
    <message>
        <source>{layer}: {field} is {value} but layer {previous} gives {channels}</source>
        <translation>{layer}：{field} 为 {value}，但第 {previous} 层给出 {channels}</translation>
    </message>
    <message>
        <source>{layer}: groups={groups} must divide {field}={value}</source>
        <translation>{layer}：groups={groups} 必须整除 {field}={value}</translation>
    </message>
    <message>
        <source>{layer}: output_padding must be smaller than stride or dilation, but along the {axis} output_padding is {op}, stride {s} and dilation {d}</source>
        <translation>{layer}：output_padding 必须小于 stride 或 dilation，但在{axis}方向上 output_padding 为 {op}，stride 为 {s}，dilation 为 {d}</translation>
    </message>
    <message>
        <source>{layer}: output would be {out_h}×{out_w}: {formula}. The padding takes away more than the stamps cover</source>
        <translation>{layer}：输出将是 {out_h}×{out_w}：{formula}。填充裁掉的比印章覆盖的还多</translation>
    </message>
    <message>
        <source>{layer}: weight has shape {shape} but the layer needs {needed} (in_channels, out_channels/groups, kH, kW)</source>
        <translation>{layer}：权重形状为 {shape}，但该层需要 {needed}（in_channels, out_channels/groups, kH, kW）</translation>
    </message>
    <message>
        <source>{label} = (in − 1)·stride − 2·padding + dilation·(kernel_size − 1) + output_padding + 1 = ({size} − 1)·{s} − 2·{p} + {d}·({k} − 1) + {op} + 1 = {out}</source>
        <translation>{label} = (in − 1)·stride − 2·padding + dilation·(kernel_size − 1) + output_padding + 1 = ({size} − 1)·{s} − 2·{p} + {d}·({k} − 1) + {op} + 1 = {out}</translation>
    </message>
    <message>
        <source>{layer}: eps must be greater than 0 (it keeps √(running_var + eps) away from 0), got {value}</source>
        <translation>{layer}：eps 必须大于 0（它使 √(running_var + eps) 不为 0），当前为 {value}</translation>
    </message>
    <message>
        <source>{layer}: eps={value} is beyond what a float32 can hold (±{limit})</source>
        <translation>{layer}：eps={value} 超出了 float32 能表示的范围（±{limit}）</translation>
    </message>
    <message>
        <source>{layer}: momentum={value} is beyond what a float32 can hold (±{limit})</source>
        <translation>{layer}：momentum={value} 超出了 float32 能表示的范围（±{limit}）</translation>
    </message>
    <message>
        <source>{layer}: {field} has {count} values but the layer needs {needed} (one per channel)</source>
        <translation>{layer}：{field} 有 {count} 个值，但该层需要 {needed} 个（每个通道一个）</translation>
    </message>
    <message>
        <source>{layer}: running_var is a variance and cannot be negative, but running_var[{channel}] is {value}</source>
        <translation>{layer}：running_var 是方差，不能为负，但 running_var[{channel}] 为 {value}</translation>
    </message>
    <message>
        <source>per channel (x − running_mean) / √(running_var + eps) · weight + bias: the shape does not change</source>
        <translation>逐通道计算 (x − running_mean) / √(running_var + eps) · weight + bias（权重 weight，偏置 bias）：形状不变</translation>
    </message>
    <message>
        <source>{layer}: scale_factor must be greater than 0, got {value}</source>
        <translation>{layer}：scale_factor 必须大于 0，当前为 {value}</translation>
    </message>
    <message>
        <source>{layer}: scale_factor={value} is larger than this app allows (at most {limit:,})</source>
        <translation>{layer}：scale_factor={value} 超过了本应用允许的上限（最多 {limit:,}）</translation>
    </message>
    <message>
        <source>{label} = ⌊in × scale_factor⌋ = ⌊{size} × {scale}⌋ = {out}</source>
        <translation>{label} = ⌊in × scale_factor⌋ = ⌊{size} × {scale}⌋ = {out}</translation>
    </message>
    <message>
        <source>{layer}: output would be {out_h}×{out_w}: {formula}</source>
        <translation>{layer}：输出将是 {out_h}×{out_w}：{formula}</translation>
    </message>
    <message>
        <source>Layer {index}: Upsample has no weights; it enlarges each channel on its own ({mode})</source>
        <translation>第 {index} 层：Upsample 没有权重；它逐通道放大（{mode}）</translation>
    </message>
    <message>
        <source>Layer {index}: BatchNorm2d normalises each of its {count:,} channels with running_mean and running_var ({count:,} each, not learned) and learns {parameters:,} values (weight and bias)</source>
        <translation>第 {index} 层：BatchNorm2d 用 running_mean 和 running_var（各 {count:,} 个，不参与学习）归一化它的 {count:,} 个通道，并学习 {parameters:,} 个值（权重和偏置）</translation>
    </message>
    <message>
        <source>Layer {index}: how many sub-kernels each input channel has, and so how many weights, is undefined until groups={groups} divides in_channels={in_channels} and out_channels={out_channels}</source>
        <translation>第 {index} 层：在 groups={groups} 整除 in_channels={in_channels} 和 out_channels={out_channels} 之前，每个输入通道有多少个子卷积核、因而有多少权重，都没有定义</translation>
    </message>
    <message>
        <source>{count:,} sub-kernel of {kh}×{kw} each</source>
        <translation>每个输入通道含 {count:,} 个 {kh}×{kw} 子卷积核</translation>
    </message>
    <message>
        <source>{count:,} sub-kernels of {kh}×{kw} each</source>
        <translation>每个输入通道含 {count:,} 个 {kh}×{kw} 子卷积核</translation>
    </message>
    <message>
        <source>{count:,} input channel</source>
        <translation>{count:,} 个输入通道</translation>
    </message>
    <message>
        <source>{count:,} input channels</source>
        <translation>{count:,} 个输入通道</translation>
    </message>
    <message>
        <source>Layer {index}: {inputs} × {sub_kernels} (one stamp per output channel) = {weights:,} weights{biases}</source>
        <translation>第 {index} 层：{inputs} × {sub_kernels}（每个输出通道一个印章）= {weights:,} 个权重{biases}</translation>
    </message>
    <message>
        <source>Layer {index}: Flatten has no weights; its input is already a vector of {count:,} values</source>
        <translation>第 {index} 层：Flatten 没有权重；它的输入已经是含 {count:,} 个值的向量</translation>
    </message>
    <message>
        <source>Layer {index}: Flatten has no weights; it lays the {maps} maps out as one vector of {count:,} values</source>
        <translation>第 {index} 层：Flatten 没有权重；它把 {maps} 特征图排成一个含 {count:,} 个值的向量</translation>
    </message>
    <message>
        <source>Layer {index}: Dropout has no weights; while training it sets each value to 0 with probability {p} (and scales the others up); otherwise it passes them on</source>
        <translation>第 {index} 层：Dropout 没有权重；训练时以概率 {p} 把每个值置为 0（并放大其余的值）；其他时候原样传递</translation>
    </message>
    <message>
        <source>{count:,} output</source>
        <translation>{count:,} 个输出</translation>
    </message>
    <message>
        <source>{count:,} outputs</source>
        <translation>{count:,} 个输出</translation>
    </message>
    <message>
        <source>{count:,} input</source>
        <translation>{count:,} 个输入</translation>
    </message>
    <message>
        <source>{count:,} inputs</source>
        <translation>{count:,} 个输入</translation>
    </message>
    <message>
        <source>Layer {index}: {outputs} × {inputs} = {weights:,} weights{biases}</source>
        <translation>第 {index} 层：{outputs} × {inputs} = {weights:,} 个权重{biases}</translation>
    </message>
    <message>
        <source>{layer}: negative_slope={value} is beyond what a float32 can hold (±{limit})</source>
        <translation>{layer}：negative_slope={value} 超出了 float32 能表示的范围（±{limit}）</translation>
    </message>
    <message>
        <source>{layer}: {field}={value} is larger than PyTorch accepts (at most {limit:,})</source>
        <translation>{layer}：{field}={value} 超出了 PyTorch 能接受的范围（最大 {limit:,}）</translation>
    </message>
    <message>
        <source>{layer}: {field}={value} is larger than PyTorch&apos;s pooling layers accept (at most {limit:,})</source>
        <translation>{layer}：{field}={value} 超出了 PyTorch 池化层能接受的范围（最大 {limit:,}）</translation>
    </message>
    <message>
        <source>{layer}: {field}={value} is larger than this app allows (at most {limit:,}), which keeps PyTorch&apos;s shape arithmetic from overflowing</source>
        <translation>{layer}：{field}={value} 超出了本应用允许的范围（最大 {limit:,}），这一上限可防止 PyTorch 的形状计算溢出</translation>
    </message>
    <message>
        <source>{layer}: padding must be at least 0, got {padding}. (With padding_mode=&apos;{mode}&apos; PyTorch would crop the input instead; this app does not allow that, so that padding always means added cells.)</source>
        <translation>{layer}：padding 必须至少为 0，当前为 {padding}。（padding_mode=&apos;{mode}&apos; 时 PyTorch 会改为裁剪输入；本应用不允许这样做，以使填充始终表示在输入周围添加单元格。）</translation>
    </message>
    <message>
        <source>{layer}: the padded input, {c}×{h}×{w} = {count:,} values, is more than this app can hold ({limit:,})</source>
        <translation>{layer}：填充后的输入为 {c}×{h}×{w} = {count:,} 个值，超过了本应用能容纳的上限（{limit:,}）</translation>
    </message>
    <message>
        <source>{layer}: padding_mode=&apos;reflect&apos; needs padding smaller than the input&apos;s {axis}, but padding is {padding} and the {axis} is {size}</source>
        <translation>{layer}：padding_mode=&apos;reflect&apos; 要求填充小于输入的{axis}，但填充为 {padding}，而{axis}为 {size}</translation>
    </message>
    <message>
        <source>{layer}: padding_mode=&apos;circular&apos; needs padding no larger than the input&apos;s {axis}, but padding is {padding} and the {axis} is {size}</source>
        <translation>{layer}：padding_mode=&apos;circular&apos; 要求填充不大于输入的{axis}，但填充为 {padding}，而{axis}为 {size}</translation>
    </message>
    <message>
        <source>{layer}: output would be {out_h}×{out_w}: {formula}. The kernel (spanning {span_h}×{span_w} with dilation) is larger than the padded input {in_h}×{in_w}</source>
        <translation>{layer}：输出将为 {out_h}×{out_w}：{formula}。卷积核（计入膨胀后跨越 {span_h}×{span_w}）比填充后的输入 {in_h}×{in_w} 还大</translation>
    </message>
    <message>
        <source>{layer}: weight has shape {shape} but the layer needs {needed} (out_channels, in_channels/groups, kH, kW)</source>
        <translation>{layer}：weight 的形状为 {shape}，但该层需要 {needed}（out_channels, in_channels/groups, kH, kW）</translation>
    </message>
    <message>
        <source>{layer}: bias has {count} values but the layer needs {needed} (one per output channel)</source>
        <translation>{layer}：bias 有 {count} 个值，但该层需要 {needed} 个（每个输出通道一个）</translation>
    </message>
    <message>
        <source>{layer}: padding must be at most half the kernel size, but padding is {padding} and kernel_size is {kernel_size}</source>
        <translation>{layer}：padding 最多为窗口大小的一半，但 padding 为 {padding}，kernel_size 为 {kernel_size}</translation>
    </message>
    <message>
        <source>{layer}: output would be {out_h}×{out_w}: {formula}. The window {kernel_h}×{kernel_w} is larger than the padded input {in_h}×{in_w}</source>
        <translation>{layer}：输出将为 {out_h}×{out_w}：{formula}。窗口 {kernel_h}×{kernel_w} 比填充后的输入 {in_h}×{in_w} 还大</translation>
    </message>
    <message>
        <source>{layer}: weight {shape} = {count:,} values is more than this app can show live ({limit:,})</source>
        <translation>{layer}：权重 {shape} = {count:,} 个值，超过了本应用能实时显示的上限（{limit:,}）</translation>
    </message>
    <message>
        <source>{first}; {second}</source>
        <translation>{first}；{second}</translation>
    </message>
    <message>
        <source>{label} = input size = {size} (padding=&apos;same&apos; pads {before} before and {after} after)</source>
        <translation>{label} = 输入尺寸 = {size}（padding=&apos;same&apos; 在前面填充 {before}，后面填充 {after}）</translation>
    </message>
    <message>
        <source>{label} = ⌊(in + 2·padding − dilation·(kernel_size − 1) − 1) / stride⌋ + 1 = ⌊({size} + {pad} − {d}·({k} − 1) − 1) / {s}⌋ + 1 = ⌊{numerator} / {s}⌋ + 1 = {out}</source>
        <translation>{label} = ⌊(in + 2·padding − dilation·(kernel_size − 1) − 1) / stride⌋ + 1 = ⌊({size} + {pad} − {d}·({k} − 1) − 1) / {s}⌋ + 1 = ⌊{numerator} / {s}⌋ + 1 = {out}</translation>
    </message>
    <message>
        <source>{label} = ⌊(in + 2·padding − kernel_size) / stride⌋ + 1 = ⌊({size} + 2·{p} − {k}) / {s}⌋ + 1 = ⌊{numerator} / {s}⌋ + 1 = {out}</source>
        <translation>{label} = ⌊(in + 2·padding − kernel_size) / stride⌋ + 1 = ⌊({size} + 2·{p} − {k}) / {s}⌋ + 1 = ⌊{numerator} / {s}⌋ + 1 = {out}</translation>
    </message>
    <message>
        <source>Layer {index}: {kind} has no weights; it pools each channel on its own</source>
        <translation>第 {index} 层：{kind} 没有权重；它对每个通道单独池化</translation>
    </message>
    <message>
        <source>Layer {index}: {kind} has no weights; it acts on each value on its own</source>
        <translation>第 {index} 层：{kind} 没有权重；它逐个作用于每个值</translation>
    </message>
    <message>
        <source>{count:,} kernel</source>
        <translation>{count:,} 个卷积核</translation>
    </message>
    <message>
        <source>{count:,} kernels</source>
        <translation>{count:,} 个卷积核</translation>
    </message>
    <message>
        <source>Layer {index}: {kernels}; how many sub-kernels each has, and so how many weights, is undefined until groups={groups} divides in_channels={in_channels}</source>
        <translation>第 {index} 层：{kernels}；在 groups={groups} 能整除 in_channels={in_channels} 之前，每个卷积核有多少个子卷积核、因而有多少个权重，都无法确定</translation>
    </message>
    <message>
        <source>{count:,} sub-kernel of {kh}×{kw}</source>
        <translation>每个卷积核仅含 {count:,} 个 {kh}×{kw} 子卷积核</translation>
    </message>
    <message>
        <source>{count:,} sub-kernels of {kh}×{kw}</source>
        <translation>每个卷积核含 {count:,} 个 {kh}×{kw} 子卷积核</translation>
    </message>
    <message>
        <source> + {count:,} bias</source>
        <translation> + {count:,} 个偏置</translation>
    </message>
    <message>
        <source> + {count:,} biases</source>
        <translation> + {count:,} 个偏置</translation>
    </message>
    <message>
        <source> (groups={groups}: each kernel reads {per_group} of the {in_channels} input channels)</source>
        <translation>（groups={groups}：每个卷积核读取 {in_channels} 个输入通道中的 {per_group} 个）</translation>
    </message>
    <message>
        <source>Layer {index}: {kernels} × {sub_kernels} = {weights:,} weights{biases}{groups}</source>
        <translation>第 {index} 层：{kernels} × {sub_kernels} = {weights:,} 个权重{biases}{groups}</translation>
    </message>
    <message>
        <source>{layer}: weight {o}×{i}×{kh}×{kw} = {count:,} values is more than this app can show live ({limit:,})</source>
        <translation>{layer}：权重 {o}×{i}×{kh}×{kw} = {count:,} 个值，超过了本应用能实时显示的上限（{limit:,}）</translation>
    </message>
    <message>
        <source>{what} needs ~{needed} of memory; the memory budget is {budget}</source>
        <extracomment>The lupdate context of every text of this module. Bytes of one value: float32 normally, float64 in the app&apos;s exact mode. What a computation may take of the memory the machine has free (the rest is for the app, the operating system and the other programs). Added to every estimate: PyTorch&apos;s own buffers, the views&apos; images, Python objects. ... plus this fraction of the rest. Environment variable that sets the budget in bytes (``2000000000``, ``2G``, ``512M``, ``2GiB``). Multiply-accumulates per second assumed for the estimate of :func:`estimate_seconds`: a slow classroom laptop&apos;s CPU, and modest GPUs. Measured on this project&apos;s 2-core machine: 26e9/s. The exact mode computes in float64, on the CPU several times slower. Above this many seconds the command line warns and the app should offer Cancel. Above this many seconds the command line refuses to start without ``--force``.</extracomment>
        <translation>{what}需要约 {needed} 内存；内存预算为 {budget}</translation>
    </message>
    <message>
        <source>{what} needs ~{needed} of memory; this machine has {available} free (a computation may use {budget} of it)</source>
        <translation>{what}需要约 {needed} 内存；本机空闲内存为 {available}（一次计算最多可用其中的 {budget}）</translation>
    </message>
    <message>
        <source>this design</source>
        <translation>此设计</translation>
    </message>
    <message>
        <source>initialising {layer}</source>
        <translation>初始化 {layer}</translation>
    </message>
    <message>
        <source>initialising the weights</source>
        <translation>初始化权重</translation>
    </message>
    <message>
        <source>this computation takes about {duration} ({macs:.2g} multiply-accumulates at about {rate:.0e} per second on the {device})</source>
        <translation>此计算约需 {duration}（{macs:.2g} 次乘加运算，在 {device} 上每秒约 {rate:.0e} 次）</translation>
    </message>
    <message>
        <source>{value} years</source>
        <translation>{value} 年</translation>
    </message>
    <message>
        <source>{value} days</source>
        <translation>{value} 天</translation>
    </message>
    <message>
        <source>{value} hours</source>
        <translation>{value} 小时</translation>
    </message>
    <message>
        <source>{value} minutes</source>
        <translation>{value} 分钟</translation>
    </message>
    <message>
        <source>{value} seconds</source>
        <translation>{value} 秒</translation>
    </message>
</context>
<context>
    <name>checkerboard</name>
    <message>
        <source>Even overlap: kernel_size {k_h} is divisible by stride {s_h}, so every output pixel away from the border receives exactly {low_h} stamps along each side ({total_low} in all). A flat input gives a flat output.</source>
        <translation>均匀重叠：kernel_size {k_h} 能被 stride {s_h} 整除，所以远离边界的每个输出像素在每个方向上恰好收到 {low_h} 个印章（共 {total_low} 个）。平坦的输入得到平坦的输出。</translation>
    </message>
    <message>
        <source>Even overlap: every output pixel away from the border receives {low_h} stamps along the height and {low_w} along the width ({total_low} in all), because each kernel size is divisible by its stride. A flat input gives a flat output.</source>
        <translation>均匀重叠：远离边界的每个输出像素在高度方向收到 {low_h} 个印章、在宽度方向收到 {low_w} 个（共 {total_low} 个），因为每个方向的卷积核尺寸都能被其步幅整除。平坦的输入得到平坦的输出。</translation>
    </message>
    <message>
        <source>Checkerboard: kernel_size {k_h} is not divisible by stride {s_h}, so neighbouring output pixels receive {high_h} and {low_h} stamps along each side (between {total_low} and {total_high} in all). Pixels that get more stamps come out stronger even from a flat input: the grid pattern of the artefacts.</source>
        <translation>棋盘格：kernel_size {k_h} 不能被 stride {s_h} 整除，所以相邻的输出像素在每个方向上分别收到 {high_h} 个和 {low_h} 个印章（总共 {total_low} 到 {total_high} 个）。即使输入是平坦的，收到印章多的像素也更强：这就是伪影的网格图案。</translation>
    </message>
    <message>
        <source>Uneven overlap: along the height output pixels receive {low_h} to {high_h} stamps (kernel {k_h}, stride {s_h}), along the width {low_w} to {high_w} (kernel {k_w}, stride {s_w}); between {total_low} and {total_high} in all. A kernel size divisible by its stride would make them even.</source>
        <translation>不均匀重叠：在高度方向，输出像素收到 {low_h} 到 {high_h} 个印章（卷积核 {k_h}，步幅 {s_h}）；在宽度方向收到 {low_w} 到 {high_w} 个（卷积核 {k_w}，步幅 {s_w}）；总共 {total_low} 到 {total_high} 个。卷积核尺寸能被步幅整除时，重叠就会均匀。</translation>
    </message>
</context>
<context>
    <name>crash</name>
    <message>
        <source>Something went wrong: {error}

The app keeps running, and your work is autosaved. The details are in {log}.</source>
        <extracomment>The log is cut to its newer half when it grows past this many bytes. At most one dialog this often (seconds): an error in a paint handler repeats on every frame.</extracomment>
        <translation>出现了错误：{error}

程序仍在运行，你的工作已自动保存。详细信息见 {log}。</translation>
    </message>
</context>
<context>
    <name>diagram</name>
    <message>
        <source>{kernel}, stride {stride}, pad {padding}</source>
        <extracomment>Oblique projection: a unit of receding width is drawn this far right and this far up.</extracomment>
        <translation>{kernel}，步幅 {stride}，填充 {padding}</translation>
    </message>
    <message>
        <source>groups={groups}</source>
        <translation>groups={groups}</translation>
    </message>
    <message>
        <source>dil {dilation}</source>
        <translation>膨胀 {dilation}</translation>
    </message>
    <message>
        <source>{inputs} → {outputs}</source>
        <translation>{inputs} → {outputs}</translation>
    </message>
    <message>
        <source>Dropout {p}</source>
        <translation>Dropout {p}</translation>
    </message>
    <message>
        <source>LeakyReLU {slope}</source>
        <translation>LeakyReLU {slope}</translation>
    </message>
    <message>
        <source>MaxPool</source>
        <translation>MaxPool</translation>
    </message>
    <message>
        <source>AvgPool</source>
        <translation>AvgPool</translation>
    </message>
    <message>
        <source>{name} {kernel}</source>
        <translation>{name} {kernel}</translation>
    </message>
    <message>
        <source>, stride {stride}</source>
        <translation>，步幅 {stride}</translation>
    </message>
    <message>
        <source>, pad {padding}</source>
        <translation>，填充 {padding}</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Conv2d</source>
        <translation>Conv2d</translation>
    </message>
    <message>
        <source>Linear</source>
        <translation>Linear</translation>
    </message>
    <message>
        <source>Flatten</source>
        <translation>Flatten</translation>
    </message>
    <message>
        <source>ConvTranspose2d</source>
        <translation>ConvTranspose2d</translation>
    </message>
    <message>
        <source>out pad {padding}</source>
        <translation>输出填充 {padding}</translation>
    </message>
    <message>
        <source>BatchNorm</source>
        <translation>BatchNorm</translation>
    </message>
    <message>
        <source>Upsample ×{scale}</source>
        <translation>Upsample ×{scale}</translation>
    </message>
    <message>
        <source>Input {shape}</source>
        <translation>输入 {shape}</translation>
    </message>
    <message>
        <source>Click to select the input.</source>
        <translation>单击以选中输入。</translation>
    </message>
    <message>
        <source>→ {shape} · {count} parameters</source>
        <translation>→ {shape} · {count} 个参数</translation>
    </message>
    <message>
        <source>Shape unknown: a layer above collapses the size.</source>
        <translation>形状未知：上面某一层使尺寸缩减为零。</translation>
    </message>
    <message>
        <source>Click to select; drag left or right to move.</source>
        <translation>单击以选中；左右拖动可移动。</translation>
    </message>
    <message>
        <source>Insert a layer here (as layer {index})</source>
        <translation>在此处插入一层（作为第 {index} 层）</translation>
    </message>
</context>
<context>
    <name>export_figure</name>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG 图片 (*.png)</translation>
    </message>
    <message>
        <source>SVG drawing (*.svg)</source>
        <translation>SVG 矢量图 (*.svg)</translation>
    </message>
    <message>
        <source>The picture could not be encoded as PNG.</source>
        <translation>无法将图片编码为 PNG。</translation>
    </message>
    <message>
        <source>Cannot draw a {kind} as a picture.</source>
        <translation>无法把 {kind} 绘制成图片。</translation>
    </message>
    <message>
        <source>Cannot draw this picture as SVG: it is not shown in any view.</source>
        <translation>无法把这张图绘制为 SVG：它没有显示在任何视图中。</translation>
    </message>
    <message>
        <source>Cannot draw a {kind} as SVG.</source>
        <translation>无法把 {kind} 绘制为 SVG。</translation>
    </message>
    <message>
        <source>Cannot save a figure as {name}: choose a name ending in .png (a picture) or .svg (vector graphics).</source>
        <translation>无法将图片保存为 {name}：请选择以 .png（图片）或 .svg（矢量图）结尾的文件名。</translation>
    </message>
    <message>
        <source>Export figure</source>
        <translation>导出图片</translation>
    </message>
    <message>
        <source>Cannot export the figure</source>
        <translation>无法导出图片</translation>
    </message>
</context>
<context>
    <name>import_weights</name>
    <message>
        <source>PyTorch weights (*.pt *.pth);;All files (*)</source>
        <translation>PyTorch 权重 (*.pt *.pth);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Import weights</source>
        <translation>导入权重</translation>
    </message>
    <message>
        <source>Reading {name}…</source>
        <translation>正在读取 {name}…</translation>
    </message>
    <message>
        <source>Cannot import these weights</source>
        <translation>无法导入这些权重</translation>
    </message>
    <message>
        <source>No weights fit this design</source>
        <translation>没有适合该设计的权重</translation>
    </message>
    <message>
        <source>Import the weights that fit?</source>
        <translation>导入合适的权重吗？</translation>
    </message>
    <message>
        <source>Import weights from {name}</source>
        <translation>从 {name} 导入权重</translation>
    </message>
</context>
<context>
    <name>layer_stack</name>
    <message>
        <source>→ output shape unknown</source>
        <translation>→ 输出形状未知</translation>
    </message>
    <message>
        <source>→ output shape unknown (a layer above has a problem)</source>
        <translation>→ 输出形状未知（上面某一层有问题）</translation>
    </message>
    <message>
        <source>→ {shape} · {parameters}</source>
        <translation>→ {shape} · {parameters}</translation>
    </message>
    <message>
        <source>parameters unknown</source>
        <translation>参数个数未知</translation>
    </message>
    <message>
        <source>Input {shape}</source>
        <translation>输入 {shape}</translation>
    </message>
    <message>
        <source>Input image: {channels} channel(s) of {height} × {width} pixels</source>
        <translation>输入图像：{channels} 个 {height} × {width} 像素的通道</translation>
    </message>
    <message>
        <source>no parameters</source>
        <translation>无参数</translation>
    </message>
    <message>
        <source>1 parameter</source>
        <translation>1 个参数</translation>
    </message>
    <message>
        <source>{count} parameters</source>
        <translation>{count} 个参数</translation>
    </message>
</context>
<context>
    <name>lessons</name>
    <message>
        <source>MNIST discriminator (the learner&apos;s question)</source>
        <translation>MNIST 判别器（学习者的问题）</translation>
    </message>
    <message>
        <source>Worked example: 3 channels, two 3×3 kernels, stride 2, padding 1 (CS231n)</source>
        <translation>手算示例：3 个通道、两个 3×3 卷积核、步幅 2、填充 1（CS231n）</translation>
    </message>
    <message>
        <source>LeNet-5: the convolutional part (LeCun et al., 1998)</source>
        <translation>LeNet-5：卷积部分（LeCun 等，1998）</translation>
    </message>
    <message>
        <source>LeNet-5, ready to train</source>
        <translation>LeNet-5：可直接训练</translation>
    </message>
    <message>
        <source>Edge detectors: Sobel x and y</source>
        <extracomment>What the &quot;LeNet-5, ready to train&quot; lesson suggests (measured by benchmarks/train.py: 96.25, 96.50 and 97.00 % held-out after 3 epochs with seeds 0, 1 and 2). What the lesson &quot;LeNet-5 (convolutional part)&quot; suggests once it has a head: Adam with a learning rate falling from 0.01 to 0 (measured by benchmarks/train.py: 96.45, 96.00, 96.00, 95.75 and 95.50 % held-out after 3 epochs with seeds 0 to 4; at a constant rate no setting tried reached 95 % reliably).</extracomment>
        <translation>边缘检测器：Sobel x 与 Sobel y</translation>
    </message>
    <message>
        <source>Depthwise-separable convolution</source>
        <translation>深度可分离卷积</translation>
    </message>
    <message>
        <source>Dilated convolution</source>
        <translation>膨胀卷积（空洞卷积）</translation>
    </message>
    <message>
        <source>The learner&apos;s MNIST discriminator</source>
        <translation>学习者的 MNIST 判别器</translation>
    </message>
    <message>
        <source>This is the network from the question ConvDesigner was built to answer: the first layers of a GAN discriminator for 28×28 MNIST digits. `Conv2d(1, 64, 4, 2, 1)` slides 64 kernels of 4×4 over the one-channel digit, two pixels at a time, after adding one pixel of zero padding all round, so each of its 64 feature maps is 14×14: (28 + 2·1 − 4) / 2 + 1 = 14. `LeakyReLU(0.2)` keeps negative values but shrinks them to a fifth. The second `Conv2d(64, 128, 4, 2, 1)` has 128 kernels, and each kernel has 64 sub-kernels of 4×4, one for every feature map it reads: an output map is the sum of 64 partial maps plus a bias. Select a kernel to see those partial maps and their sum.</source>
        <translation>这正是 ConvDesigner 当初要回答的那个问题中的网络：一个处理 28×28 MNIST 数字的 GAN 判别器的前几层。`Conv2d(1, 64, 4, 2, 1)` 先在单通道数字的四周各填充一个像素的 0，再让 64 个 4×4 卷积核在上面滑动，每次移动两个像素，因此它的 64 张特征图都是 14×14：(28 + 2·1 − 4) / 2 + 1 = 14。`LeakyReLU(0.2)` 保留负值，但把它们缩小为原来的五分之一。第二个 `Conv2d(64, 128, 4, 2, 1)` 有 128 个卷积核，每个卷积核有 64 个 4×4 子卷积核，分别对应它读取的每一张特征图：一张输出特征图就是 64 张部分特征图之和再加上一个偏置。选中一个卷积核，即可看到这些部分特征图及它们的和。</translation>
    </message>
    <message>
        <source>LeNet-5 (convolutional part)</source>
        <translation>LeNet-5（卷积部分）</translation>
    </message>
    <message>
        <source>LeNet-5 (LeCun, Bottou, Bengio and Haffner, 1998) read handwritten digits for banks and is the ancestor of today&apos;s CNNs. Its 28×28 digits were padded to 32×32 so that strokes near the border still fall under a whole kernel. `Conv2d(1, 6, 5)` makes six 28×28 feature maps, `Tanh` squashes them into (−1, 1), and `AvgPool2d(2)` averages each 2×2 block, halving the size to 14×14. The second `Conv2d(6, 16, 5)` combines all six maps into sixteen 10×10 maps, pooled again to 16×5×5 = 400 numbers; in the full network, fully connected layers then turn these into ten digit scores. (The 1998 paper connected each of the sixteen maps to only some of the six; here every kernel reads all six, as modern re-implementations do.) To train it, open the Train panel and click &quot;Add a classifier head&quot; (`Flatten` and `Linear(400, 10)`): the digits are trained on as you see them here, centred on the 32×32 input. The panel is filled in for this network: Adam with a learning rate that falls from 0.01 to 0 over the run, batch size 16, 3 epochs. It ends near 96 % held-out, a few seconds later.</source>
        <translation>LeNet-5（LeCun、Bottou、Bengio 和 Haffner，1998）曾为银行识别手写数字，是今天卷积神经网络（CNN）的鼻祖。它把 28×28 的数字填充到 32×32，使靠近边缘的笔画也能完整地落在卷积核之下。`Conv2d(1, 6, 5)` 产生六张 28×28 的特征图，`Tanh` 把它们压缩到 (−1, 1) 之间，`AvgPool2d(2)` 对每个 2×2 块求平均，使尺寸减半为 14×14。第二个 `Conv2d(6, 16, 5)` 把全部六张图组合成十六张 10×10 的特征图，再次池化后得到 16×5×5 = 400 个数；在完整的网络中，随后的全连接层会把它们变成十个数字的得分。（1998 年的论文中，十六张图各自只连接六张图中的一部分；这里与现代的重新实现一样，每个卷积核都读取全部六张。）要训练它，请打开“训练”面板并点击“添加分类头”（`Flatten` 和 `Linear(400, 10)`）：训练用的数字就是你在这里看到的样子，放在 32×32 输入的正中。面板已经为这个网络填好：Adam，学习率在训练过程中从 0.01 降到 0，批大小 16，3 轮。几秒钟后，留出集准确率约为 96 %。</translation>
    </message>
    <message>
        <source>LeNet-5 as it is usually written today, with a classifier head, so that you can train it on the bundled digits. `padding=2` on the 28×28 digit does what LeNet&apos;s 32×32 border did. `ReLU` and `MaxPool2d` take the place of `Tanh` and `AvgPool2d`, as in PyTorch&apos;s own tutorial: the network learns faster. `Flatten` turns the 16×5×5 maps into 400 numbers and `Linear(400, 10)` into ten digit scores. Open the Train panel: the learning rate (0.005), batch size (32) and epochs (3) are filled in, and a run takes a few seconds. Held-out accuracy ends near 96 %. Watch the six first-layer kernels turn from noise into stroke detectors in the tab &quot;All kernels&quot;, and drag the snapshot slider afterwards to see how they got there.</source>
        <translation>这是今天通常写法的 LeNet-5，带有分类头，可以直接用内置数字训练。对 28×28 的数字使用 `padding=2`，起到 LeNet 原来 32×32 边框的作用。`ReLU` 和 `MaxPool2d` 取代了 `Tanh` 和 `AvgPool2d`，与 PyTorch 官方教程相同：网络学得更快。`Flatten` 把 16×5×5 的特征图展平成 400 个数，`Linear(400, 10)` 再把它们变成十个数字的得分。打开“训练”面板：学习率（0.005）、批大小（32）和轮数（3）都已填好，训练只需几秒。留出集准确率最后约为 96 %。在“全部卷积核”标签页中看第一层的六个卷积核如何从噪声变成笔画检测器，训练结束后拖动快照滑块，看看它们是怎样一步步变过来的。</translation>
    </message>
    <message>
        <source>Worked example: 3×5×5 input, stride 2, padding 1</source>
        <translation>手算示例：3×5×5 输入、步幅 2、填充 1</translation>
    </message>
    <message>
        <source>The classic example worked by hand (as in Stanford&apos;s CS231n notes): a 3-channel 5×5 input of small integers, zero-padded by one pixel, and two 3×3×3 kernels moving two pixels at a time, with biases 1 and 0. The output is 2×3×3: (5 + 2·1 − 3) / 2 + 1 = 3. Each output number is the sum of 27 products, nine per input channel, plus the bias. Pick an output pixel, multiply the highlighted 3×3 patches by the kernel&apos;s three sub-kernels yourself, add the bias, and compare with the value PyTorch computed: they are integers, so they match exactly.</source>
        <translation>这是经典的手算示例（与斯坦福 CS231n 课程笔记中的一样）：一个由小整数组成的 3 通道 5×5 输入，四周补一个像素的 0，两个 3×3×3 卷积核每次移动两个像素，偏置分别为 1 和 0。输出为 2×3×3：(5 + 2·1 − 3) / 2 + 1 = 3。每个输出数都是 27 个乘积（每个输入通道九个）之和再加上偏置。选一个输出像素，自己把高亮的 3×3 区域分别与卷积核的三个子卷积核相乘，加上偏置，再与 PyTorch 算出的值比较：它们都是整数，所以完全相等。</translation>
    </message>
    <message>
        <source>Edge detectors: Sobel kernels</source>
        <translation>边缘检测器：Sobel 卷积核</translation>
    </message>
    <message>
        <source>A kernel is a pattern detector, and the Sobel kernels are the classic hand-made ones. `Conv2d(1, 2, 3, padding=1)` here holds two fixed kernels with bias 0: Sobel x, [[−1, 0, 1], [−2, 0, 2], [−1, 0, 1]], answers where the image gets brighter from left to right, and Sobel y, its transpose, where it gets brighter from top to bottom. Flat regions give 0 because each kernel&apos;s numbers add up to 0. Look at the square: Sobel x lights up its left edge (positive) and right edge (negative) and ignores its top and bottom; the disc shows how the response turns with the edge&apos;s slope. A trained first layer often learns kernels much like these. (PyTorch&apos;s Conv2d does not flip the kernel: it computes a cross-correlation.)</source>
        <translation>卷积核就是模式检测器，而 Sobel 卷积核是经典的手工设计的卷积核。这里的 `Conv2d(1, 2, 3, padding=1)` 包含两个固定的卷积核，偏置为 0：Sobel x 为 [[−1, 0, 1], [−2, 0, 2], [−1, 0, 1]]，响应图像从左到右变亮的地方；Sobel y 是它的转置，响应从上到下变亮的地方。平坦区域的输出为 0，因为每个卷积核的各数之和为 0。看那个正方形：Sobel x 在它的左边缘（正值）和右边缘（负值）处亮起，而忽略上下边缘；圆盘则显示响应如何随边缘的斜率变化。训练得到的第一层常常会学出与此非常相似的卷积核。（PyTorch 的 Conv2d 不翻转卷积核：它计算的是互相关。）</translation>
    </message>
    <message>
        <source>A normal `Conv2d(3, 8, 3)` gives each of its 8 kernels a 3×3 sub-kernel for every input channel: 8 × 3 × 3 × 3 = 216 weights. A depthwise-separable convolution (used in MobileNet) splits this into two cheaper steps. The depthwise step, `Conv2d(3, 3, 3, padding=1, groups=3)`, gives every channel its own single 3×3 kernel and never mixes channels (27 weights): see how the red stripes, green stripes and blue disc are filtered separately. The pointwise step, `Conv2d(3, 8, 1)`, then mixes the channels with 1×1 kernels (24 weights): each output map is a weighted sum of the three filtered maps. Together 51 weights instead of 216 (plus biases), for a similar receptive field.</source>
        <translation>普通的 `Conv2d(3, 8, 3)` 为它的 8 个卷积核各配上每个输入通道一个 3×3 子卷积核：8 × 3 × 3 × 3 = 216 个权重。深度可分离卷积（MobileNet 中使用）把它拆成两个更省的步骤。逐通道（depthwise）步骤 `Conv2d(3, 3, 3, padding=1, groups=3)` 给每个通道一个它自己的 3×3 卷积核，从不混合通道（27 个权重）：看红色条纹、绿色条纹和蓝色圆盘是如何被分别滤波的。逐点（pointwise）步骤 `Conv2d(3, 8, 1)` 再用 1×1 卷积核混合各通道（24 个权重）：每张输出特征图都是三张滤波后特征图的加权和。两步合计 51 个权重，而不是 216 个（不计偏置），感受野却差不多。</translation>
    </message>
    <message>
        <source>Dilation spreads a kernel&apos;s taps apart without adding weights. `Conv2d(1, 4, 3, dilation=2)` still has 3×3 weights per kernel, but they read pixels two apart, so each kernel covers a 5×5 area: 2·(3 − 1) + 1 = 5, and the 28×28 input becomes 24×24. After `ReLU`, `Conv2d(4, 4, 3, dilation=4)` spaces its taps four apart and covers 9×9, giving 16×16 maps. Stacking dilations lets one output pixel see a 13×13 region of the input with only two small layers and no pooling, which is why dilated convolutions are popular for segmentation and audio (WaveNet).</source>
        <translation>膨胀（dilation）把卷积核的各个采样点拉开，却不增加权重。`Conv2d(1, 4, 3, dilation=2)` 的每个卷积核仍然只有 3×3 个权重，但它们读取相隔两个像素的点，因此每个卷积核覆盖 5×5 的区域：2·(3 − 1) + 1 = 5，28×28 的输入变成 24×24。经过 `ReLU` 之后，`Conv2d(4, 4, 3, dilation=4)` 的采样点相隔四个像素，覆盖 9×9，得到 16×16 的特征图。叠加膨胀卷积，只用两个小层、不用池化，就能让一个输出像素看到输入中 13×13 的区域，这就是膨胀卷积（也叫空洞卷积）在图像分割和音频（WaveNet）中广受欢迎的原因。</translation>
    </message>
    <message>
        <source>The generator&apos;s mirror</source>
        <translation>生成器：判别器的镜像</translation>
    </message>
    <message>
        <source>Checkerboard: kernel 3, stride 2</source>
        <translation>棋盘格：卷积核 3，步幅 2</translation>
    </message>
    <message>
        <source>No checkerboard: kernel 4, stride 2</source>
        <translation>没有棋盘格：卷积核 4，步幅 2</translation>
    </message>
    <message>
        <source>No checkerboard: Upsample + Conv2d</source>
        <translation>没有棋盘格：Upsample + Conv2d</translation>
    </message>
    <message>
        <source>Three ways to double an 8×8 map to 16×16, each given a flat input of ones and all-one weights, so every output value counts what reaches it. With `ConvTranspose2d(1, 1, 3, 2, 1, output_padding=1)` each input pixel stamps a 3×3 patch two pixels after its neighbour: 3 is not divisible by 2, so output pixels receive 1, 2 or 4 stamps and the flat input comes out as a grid of 1s, 2s and 4s, the checkerboard of Odena, Dumoulin and Olah (Distill, 2016). With `ConvTranspose2d(1, 1, 4, 2, 1)` the stamps overlap evenly, 2 × 2 = 4 everywhere away from the border. `Upsample(scale_factor=2)` followed by `Conv2d(1, 1, 3, padding=1)`, what the article recommends, first repeats pixels and then smooths them, so nothing is stamped twice. Open the three lessons one after another and look at the Checkerboard tab and the output map.</source>
        <translation>把 8×8 的特征图放大到 16×16 的三种方法，输入都是全 1 的平坦图、权重都为 1，所以每个输出值就是到达它的量的计数。`ConvTranspose2d(1, 1, 3, 2, 1, output_padding=1)` 中，每个输入像素在与相邻像素相隔 2 个像素的位置盖一个 3×3 的印章：3 不能被 2 整除，于是输出像素收到 1、2 或 4 个印章，平坦的输入变成由 1、2、4 组成的网格，这就是 Odena、Dumoulin 和 Olah（Distill，2016）所说的棋盘格伪影。`ConvTranspose2d(1, 1, 4, 2, 1)` 的印章均匀重叠，远离边界处处都是 2 × 2 = 4。`Upsample(scale_factor=2)` 接 `Conv2d(1, 1, 3, padding=1)` 是该文推荐的做法：先重复像素，再平滑，所以没有哪里被印两次。依次打开这三个课程，看看“棋盘格”标签页和输出特征图。</translation>
    </message>
    <message>
        <source>The learner&apos;s discriminator shrinks a 1×28×28 digit to 64×14×14 and then 128×7×7 with `Conv2d(1, 64, 4, 2, 1)` and `Conv2d(64, 128, 4, 2, 1)`. A GAN&apos;s generator walks the same road backwards, from 128×7×7 random numbers to a 1×28×28 image. `ConvTranspose2d(128, 64, 4, 2, 1)` lets each of the 7×7 input pixels stamp its 4×4 sub-kernels, scaled by its value, onto a 14×14 output, two pixels after its neighbour: (7 − 1)·2 − 2·1 + (4 − 1) + 1 = 14. Its weight is 128 × 64 × 4 × 4, input channels first, the mirror of Conv2d&apos;s order. `BatchNorm2d(64)` brings each channel to mean 0 and variance 1 with its running statistics, then scales and shifts it; `ReLU` keeps the positive part; `ConvTranspose2d(64, 1, 4, 2, 1)` makes the 28×28 image and `Tanh` squeezes it into (−1, 1), the range of the training digits. Open the tab &quot;How a transposed convolution is made&quot; to see the stamps, and the same result as an ordinary convolution of a zero-stretched input with the flipped kernel.</source>
        <translation>学习者的判别器用 `Conv2d(1, 64, 4, 2, 1)` 和 `Conv2d(64, 128, 4, 2, 1)` 把 1×28×28 的数字缩小到 64×14×14，再到 128×7×7。GAN 的生成器沿着同一条路反向走，从 128×7×7 的随机数得到 1×28×28 的图像。`ConvTranspose2d(128, 64, 4, 2, 1)` 让 7×7 输入中的每个像素把按其值缩放的 4×4 子卷积核印到 14×14 的输出上，与相邻像素的印章相隔 2 个像素：(7 − 1)·2 − 2·1 + (4 − 1) + 1 = 14。它的权重形状是 128 × 64 × 4 × 4，输入通道在前，与 Conv2d 的顺序相反。`BatchNorm2d(64)` 用运行统计量把每个通道变为均值 0、方差 1，再缩放和平移；`ReLU` 保留正的部分；`ConvTranspose2d(64, 1, 4, 2, 1)` 生成 28×28 的图像，`Tanh` 把它压缩到 (−1, 1)，即训练数字的取值范围。打开“转置卷积是怎样算出来的”标签页，看看这些印章，以及用翻转的卷积核对插零拉伸后的输入做普通卷积得到的相同结果。</translation>
    </message>
</context>
<context>
    <name>presets</name>
    <message>
        <source>{name} is not available for {kh}×{kw} kernels (it needs an odd size: 3×3, 5×5, …)</source>
        <translation>{name} 不适用于 {kh}×{kw} 卷积核（它需要奇数尺寸：3×3、5×5、…）</translation>
    </message>
    <message>
        <source>{name} is not available for {kh}×{kw} kernels (it needs at least {minimum}×{minimum})</source>
        <translation>{name} 不适用于 {kh}×{kw} 的卷积核（至少需要 {minimum}×{minimum}）</translation>
    </message>
    <message>
        <source>Laplacian</source>
        <translation>拉普拉斯（Laplacian）</translation>
    </message>
    <message>
        <source>Sharpen</source>
        <translation>锐化</translation>
    </message>
    <message>
        <source>Sobel x</source>
        <translation>Sobel x</translation>
    </message>
    <message>
        <source>Sobel y</source>
        <translation>Sobel y</translation>
    </message>
    <message>
        <source>any size</source>
        <translation>任意尺寸</translation>
    </message>
    <message>
        <source>odd sizes: 3×3, 5×5, …</source>
        <translation>奇数尺寸：3×3、5×5、…</translation>
    </message>
    <message>
        <source>2×2 and larger; an even side differences its two middle cells</source>
        <translation>2×2 及以上；偶数边长时在中间两格之间求差分</translation>
    </message>
    <message>
        <source>3×3 and larger; an even side has a 2×2 centre</source>
        <translation>3×3 及以上；偶数边长时中心为 2×2</translation>
    </message>
    <message>
        <source>Zeros</source>
        <translation>全零</translation>
    </message>
    <message>
        <source>Every weight 0: this output channel ignores the input channel completely.</source>
        <translation>每个权重都为 0：该输出通道完全忽略这个输入通道。</translation>
    </message>
    <message>
        <source>Identity</source>
        <translation>恒等</translation>
    </message>
    <message>
        <source>A single 1 where the kernel sits over the output pixel&apos;s own position: the output copies the input (every stride-th pixel when the stride is above 1).</source>
        <translation>只在卷积核覆盖输出像素自身位置的那一格放一个 1：输出复制输入（步幅大于 1 时，每隔与步幅相同的像素数取一个）。</translation>
    </message>
    <message>
        <source>Box blur</source>
        <translation>均值模糊</translation>
    </message>
    <message>
        <source>Every weight 1/(kH·kW): each output is the mean of the window, so edges and noise are smoothed. The weights sum to 1, so flat areas keep their brightness.</source>
        <translation>每个权重都是 1/(kH·kW)：每个输出是窗口的平均值，因此边缘和噪声被平滑。权重之和为 1，所以平坦区域保持原有亮度。</translation>
    </message>
    <message>
        <source>The centre weighted up, the neighbours down (the image plus the detail a blur would take away): edges and fine detail are boosted. The weights sum to 1.</source>
        <translation>中心权重调高、周围权重调低（即图像加上模糊会去掉的细节）：边缘和细节得到增强。权重之和为 1。</translation>
    </message>
    <message>
        <source>Left-to-right derivative: positive on vertical edges that go from dark (left) to bright (right), negative on bright-to-dark ones, 0 on flat areas.</source>
        <translation>从左到右的导数：在从暗（左）到亮（右）的竖直边缘上为正，在由亮到暗的边缘上为负，在平坦区域为 0。</translation>
    </message>
    <message>
        <source>Top-to-bottom derivative: positive on horizontal edges that go from dark (above) to bright (below), negative on the opposite ones, 0 on flat areas.</source>
        <translation>从上到下的导数：在从暗（上）到亮（下）的水平边缘上为正，在相反的边缘上为负，在平坦区域为 0。</translation>
    </message>
    <message>
        <source>Second derivative in every direction: strong (negative) on thin bright lines and dots, 0 on flat areas and even ramps. The weights sum to 0.</source>
        <translation>各个方向上的二阶导数：在细亮线和亮点上响应强（为负），在平坦区域和均匀渐变处为 0。权重之和为 0。</translation>
    </message>
    <message>
        <source>Gabor</source>
        <translation>Gabor</translation>
    </message>
    <message>
        <source>Stripes under a bell-shaped window: responds to lines and edges at one orientation θ (0° = vertical stripes, 90° = horizontal). Many first-layer kernels of trained CNNs look like this.</source>
        <translation>钟形窗口下的条纹：响应某一方向 θ 上的线条和边缘（0° = 竖条纹，90° = 横条纹）。训练好的 CNN 第一层中，很多卷积核都长这样。</translation>
    </message>
</context>
<context>
    <name>run_busy</name>
    <message>
        <source>not enough memory</source>
        <translation>内存不足</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>views</name>
    <message>
        <source>value</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>Waiting for the first computed frame…</source>
        <translation>正在等待第一帧计算结果…</translation>
    </message>
    <message>
        <source>Hover: exact value · click: select · wheel: zoom · double-click: reset</source>
        <translation>悬停：精确值 · 单击：选中 · 滚轮：缩放 · 双击：重置</translation>
    </message>
    <message>
        <source>the input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>layer {index} ({kind})</source>
        <translation>第 {index} 层（{kind}）</translation>
    </message>
    <message>
        <source>Input {shape}</source>
        <translation>输入 {shape}</translation>
    </message>
    <message>
        <source>{layer} is a transposed convolution: its sub-kernels, input channel by input channel, are in the tab &quot;How a transposed convolution is made&quot;.</source>
        <translation>{layer} 是转置卷积：它的子卷积核（按输入通道逐个排列）在“转置卷积是怎样算出来的”标签页中。</translation>
    </message>
    <message>
        <source>weight</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>in {channel}</source>
        <translation>输入 {channel}</translation>
    </message>
    <message>
        <source>{layer} is a transposed convolution: the tab &quot;How a transposed convolution is made&quot; shows how its output channels are made.</source>
        <translation>{layer} 是转置卷积：“转置卷积是怎样算出来的”标签页展示它的输出通道是怎样得到的。</translation>
    </message>
</context>
</TS>
