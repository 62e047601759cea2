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
      <source>Install them with:</source>
      <translation>可用以下命令安装：</translation>
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
      <source>Coupling Coordination Toolbox</source>
      <translation>耦合协调度工具箱</translation>
    </message>
    <message>
      <source>Coupling coordination</source>
      <translation>耦合协调</translation>
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
      <source>Not significant</source>
      <translation>不显著</translation>
    </message>
    <message>
      <source>No neighbours</source>
      <translation>无邻居</translation>
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
      <source>Decision tree, random forest, gradient boosting (scikit-learn) and OLS of a target (normally D) on driver fields, for the full sample (GROUP 'all') and within each group (normally the coordination tier): train and test R², RMSE, OLS adjusted R², grouped K-fold cross-validated R² (the numbers to report), impurity importances summing to 1 (OLS: share of |standardised coefficient|) and permutation importance on the held-out rows with its spread (the study's Tables 6–7), OLS coefficients on the whole group sample, and partial dependence of the leading drivers.

Both splits are always fitted so the leakage gap shows: a random row split puts each city's other years into training; the grouped split keeps every unit entirely in train or in test. SPLIT chooses the primary one, used for importances and cross-validation. Rows with an empty target, driver or group are left out and counted in the log; perfectly collinear drivers are dropped from OLS and reported.

References: Breiman et al. (1984) Classification and Regression Trees; Breiman (2001), Machine Learning 45:5–32 (random forests); Friedman (2001), Annals of Statistics 29(5):1189–1232 (gradient boosting, partial dependence); scikit-learn (Pedregosa et al. 2011, JMLR 12:2825–2830).</source>
      <translation>以驱动因素字段为自变量，对目标变量（通常为 D）进行决策树、随机森林、梯度提升（scikit-learn）和普通最小二乘（OLS）回归，分别针对全样本（GROUP 'all'）和各组（通常为协调梯队）给出：训练集与测试集 R²、RMSE、OLS 调整 R²、分组 K 折交叉验证 R²（应报告的数值）、和为 1 的不纯度重要性（OLS：各标准化系数绝对值的占比）、在留出样本上的置换重要性及其离散程度（参考研究的表 6–7）、基于整组样本的 OLS 系数，以及主要驱动因素的部分依赖。

两种划分方式都会拟合，以显示信息泄漏造成的差距：按行随机划分会把每个城市的其他年份放入训练集；按单元分组划分则使每个单元完全位于训练集或测试集中。SPLIT 选择主划分方式，用于计算重要性和交叉验证。目标、驱动因素或分组为空的行被剔除并在日志中计数；完全共线的驱动因素从 OLS 中剔除并予以报告。

参考文献：Breiman et al. (1984) Classification and Regression Trees；Breiman (2001), Machine Learning 45:5–32（随机森林）；Friedman (2001), Annals of Statistics 29(5):1189–1232（梯度提升、部分依赖）；scikit-learn (Pedregosa et al. 2011, JMLR 12:2825–2830)。</translation>
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
      <source>HTML summary with importance charts</source>
      <translation>含重要性图表的 HTML 摘要</translation>
    </message>
    <message>
      <source>Spatial weights</source>
      <translation>空间权重</translation>
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
      <source>Unit polygons, one feature per unit (default: the input's geometry)</source>
      <translation>单元面，每个单元一个要素（默认：输入图层的几何）</translation>
    </message>
    <message>
      <source>Value field</source>
      <translation>数值字段</translation>
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
      <source>Threads for the permutations (results do not depend on it)</source>
      <translation>置换计算的线程数（不影响结果）</translation>
    </message>
    <message>
      <source>GeoDa weights file instead of building weights</source>
      <translation>GeoDa 权重文件（代替构建权重）</translation>
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
      <source>Years, comma separated (default all)</source>
      <translation>年份，逗号分隔（默认全部）</translation>
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
      <source>How units move between tiers from one year to the next, conditioned on the tier of their neighbours (spatial Markov chain, giddy; Rey 2001): if a low unit surrounded by high neighbours rises more often than one surrounded by low ones, location matters — the direct test of a 'Matthew effect' or club convergence. Tiers come from a tier field (e.g. TIER from Coordination tiers) or from K quantile classes of a value field. TESTS gives giddy's tests of spatial dependence (Q, likelihood ratio, chi-square). METHOD 'lisa' gives the LISA Markov chain of Moran-scatterplot quadrants instead.

References: Rey (2001), Geographical Analysis 33(3):195–214; Bickenbach &amp; Bode (2003), International Regional Science Review 26(3):363–392 (tests of the Markov property and of spatial dependence).</source>
      <translation>分析单元在相邻年份间如何在梯队之间转移，并以邻居所处梯队为条件（空间马尔可夫链，giddy；Rey 2001）：若被高梯队邻居包围的低梯队单元比被低梯队邻居包围的单元更常上升，则说明区位起作用——这是对“马太效应”或俱乐部趋同的直接检验。梯队来自梯队字段（如“协调梯队”输出的 TIER），或来自数值字段的 K 个分位数分级。TESTS 给出 giddy 的空间依赖检验（Q、似然比、卡方）。METHOD 为 'lisa' 时改为给出莫兰散点图象限的 LISA 马尔可夫链。

参考文献：Rey (2001), Geographical Analysis 33(3):195–214；Bickenbach &amp; Bode (2003), International Regional Science Review 26(3):363–392（马尔可夫性检验与空间依赖检验）。</translation>
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
