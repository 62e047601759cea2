<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
  <context>
    <name>ccd</name>
    <message>
      <source>Invalid input layer: {}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{} must be a polygon layer</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{}: expected numbers separated by commas, got '{}'</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Coupling coordination</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Coupling Coordination Toolbox</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Tier {}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Entropy-weighted index</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Indices</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Standardises the indicators (positive: (x − min)/(max − min); negative: (max − x)/(max − min)), weights them with the entropy method and writes the composite index of each row.

p_ij = x'_ij / Σ_i x'_ij, e_j = −k Σ_i p_ij ln p_ij (0 ln 0 = 0), d_j = 1 − e_j, w_j = d_j / Σ d_j. Pooled over a panel of r years and n units k = 1/ln(rn) (min and max over all years, so indices compare over time); within each year k = 1/ln(n).

The WEIGHTS table gives e, d and w of every indicator.

Reference: Shannon (1948), Bell System Technical Journal 27:379–423; the entropy weight method as in Zou Zhihong et al. (2006), Journal of Environmental Sciences 18(5):1020–1023.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Input layer or table (one row per unit and year)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Unit id field</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Year field</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Positive indicators (larger is better)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Negative indicators (smaller is better)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Standardise and weight</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Pooled over all years (indices comparable over time)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Separately within each year</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Shift added after standardisation (e.g. 0.0001)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Name of the index field</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Missing values</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Stop and list the missing values</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Interpolate gaps linearly within each unit</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Drop units with a larger share of missing values (0–1; with interpolation)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Output layer</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Entropy weights</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Persistent innovation index (Coninnov)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Persistent urban innovation from a patent count p per unit and year:
Coninnov_t = (p_t + p_{t−1}) / (p_{t−1} + p_{t−2}) · (p_t + p_{t−1}).

Each unit's first two years have no value (status 'first years'); a year whose two prior years are absent has status 'missing prior year'; a zero denominator (no patents in the two prior years) is left empty with status 'zero denominator' and listed in the log — never turned into 0 or infinity.

Reference: Yang &amp; Geng (2026), the reference study of this toolbox.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Patent count field</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Coupling coordination degree</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Coupling</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Coupling degree C, comprehensive development index T and coupling coordination degree D = sqrt(C·T) of two or more system indices in [0, 1] for every row (unit-year), with the 10-level class of D and the level of C.

Classic: C = n·(∏Uᵢ / (ΣUᵢ)ⁿ)^(1/n). Revised (Wang Shujia et al., 2021, 自然资源学报 36(3):793–810): C = sqrt((1 − Σ_{i&gt;j}|Uᵢ−Uⱼ| / Σ_{m=1}^{n−1} m) · (∏Uᵢ / max U)^(1/(n−1))), which avoids the classic C crowding near 1. T = Σ aᵢUᵢ with the system weights (equal by default).

Rows where every system is 0 have no defined C: C and D are left empty and the rows are listed in the log.

References: Wang Shujia, Kong Wei, Ren Lang, Zhi Dandan, Dai Bingtao (2021), 自然资源学报 36(3):793–810; ten classes of D as commonly used in Chinese regional studies (0–0.1 extreme imbalance … 0.9–1 high-quality coordination).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>System index fields (two or more, values in [0, 1])</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>System weights for T, comma separated, summing to 1 (default equal)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Coupling model</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Classic coupling C = n·(∏U / (ΣU)ⁿ)^(1/n)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Revised coupling (Wang Shujia et al., 2021)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Class breaks of D, comma separated (default 0, 0.1, …, 1: ten levels)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Unit id field (names units in messages)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Year field (names years in messages)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Coordination tiers</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Tiers &amp; inequality</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Sorts every unit-year into tiers of a value, normally the coupling coordination degree D: K-means per year (k = 3 gives the reference study's low / mid / high coordination), K-means pooled over all years, Jenks natural breaks, quantiles, or fixed classes. Tiers are ordered by centroid or interval: 0 is the lowest.

THRESHOLDS gives the value range (and K-means centroid) each tier covers, per year for per-year K-means. COUNTS gives the number of units per tier and year (the study's Table 3). GROUP_MEANS gives the mean value per group (e.g. urban agglomeration; per tier when no group field is given) and year, with an 'overall' row over all units (the study's Table 2).

References: Lloyd (1982), IEEE Transactions on Information Theory 28(2):129–137 (K-means, scikit-learn); Jenks (1967), International Yearbook of Cartography 7:186–190 (natural breaks, Fisher's exact optimisation).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Value field (normally D)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Method</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>K-means within each year (the reference study's; tiers not comparable across years)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>K-means pooled over all years (fixed thresholds, comparable)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Jenks natural breaks, pooled</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Quantiles, pooled</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Fixed classes (the ten D classes, or the breaks given)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Number of tiers (K-means, Jenks, quantiles)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Random seed (K-means, Jenks sample)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Class breaks for fixed classes, comma separated (default 0, 0.1, …, 1)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Group field for the group means (e.g. urban agglomeration)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Tier counts per year</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Mean value per group and year</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Tier thresholds</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Dagum Gini decomposition</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Dagum (1997) decomposition of the Gini coefficient of a value (normally D) by a group field — tiers, regions, urban agglomerations — for each year: G = Gw + Gnb + Gt (within groups, net between groups, transvariation), with their shares of G in %, and the plain Gini beside it (the study's Table 4).

PAIRS gives the within-group Gini G_jj of every group (GROUP_A = GROUP_B) and the between-group Gini G_jh and relative economic affluence D_jh of every pair, GROUP_A being the group with the larger mean (Table 5).

Computed by sorting and cumulative sums in O(n log n), so county or grid panels of millions of units work. Values must be non-negative and not all zero in a year.

Reference: Dagum (1997), Empirical Economics 22:515–531.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Group field (tier, region, agglomeration)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Groups with one member in a year</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Stop with an error</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Allow (their within-group Gini is 0)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Dagum Gini decomposition per year</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Within- and between-group Gini per year</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Obstacle degree</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Drivers</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>How much each indicator holds a unit back. Indicators are standardised in their direction, pooled over all years; deviation I_ij = 1 − x'_ij; factor contribution F_j = the indicator's weight (entropy weight by default, or the weights given); obstacle O_ij = F_j I_ij / Σ_j F_j I_ij × 100, so each row sums to 100. A subsystem's obstacle is the sum over its indicators.

OUTPUT adds O_&lt;indicator&gt; (and O_&lt;subsystem&gt;) in % and the top obstacles of each unit-year. SUMMARY gives the mean obstacle per group (normally the tier) and year, an 'average' row per group over the years, and the same for all units (the study's Table 8). A unit at the best value of every indicator has no deviation: its obstacles are left empty and it is listed in the log.

Reference: the obstacle degree model (障碍度模型) as used in Chinese regional studies, e.g. Yang &amp; Geng (2026), Table 8.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Indicator weights, comma separated, positive then negative indicators (default: entropy weights)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Group field for the summary (normally the tier)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Subsystems, e.g. 'fintech=FT_A,FT_B; innovation=INN_A'</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Number of top obstacles listed per unit-year</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Mean obstacle degree per group and year</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Driver analysis (tree, forest, boosting, OLS)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Decision tree, random forest, gradient boosting (scikit-learn) and OLS of a target (normally D) on driver fields, for the full sample (GROUP 'all') and within each group (normally the coordination tier): train and test R², RMSE, OLS adjusted R², grouped K-fold cross-validated R² (the numbers to report), impurity importances summing to 1 (OLS: share of |standardised coefficient|) and permutation importance on the held-out rows with its spread (the study's Tables 6–7), OLS coefficients on the whole group sample, and partial dependence of the leading drivers.

Both splits are always fitted so the leakage gap shows: a random row split puts each city's other years into training; the grouped split keeps every unit entirely in train or in test. SPLIT chooses the primary one, used for importances and cross-validation. Rows with an empty target, driver or group are left out and counted in the log; perfectly collinear drivers are dropped from OLS and reported.

References: Breiman et al. (1984) Classification and Regression Trees; Breiman (2001), Machine Learning 45:5–32 (random forests); Friedman (2001), Annals of Statistics 29(5):1189–1232 (gradient boosting, partial dependence); scikit-learn (Pedregosa et al. 2011, JMLR 12:2825–2830).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Target field (normally D)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Driver fields</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Group field (normally the tier)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Primary split</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Grouped by unit: no unit in both train and test (honest)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Random rows (the reference study's; leaks each unit's other years)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Test share (of rows, or of units for the grouped split)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Random seed</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Cross-validation folds (0: none)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Trees in the forest and boosting stages</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Small cross-validated hyperparameter search for the ensembles</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Model fit per group, model and split</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Driver importance per group and model</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>OLS coefficients per group</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Partial dependence of the leading drivers</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Spatial weights</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Spatial statistics</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Spatial weights of a polygon layer (one feature per unit): queen or rook contiguity, k nearest neighbours, distance band or kernel, written as a GeoDa weights file: .gal for contiguity and k-nearest, .gwt (with the weights) for distance and kernel weights. Units without neighbours are listed. Distance-based weights need a projected CRS: on longitude/latitude they are refused unless TARGET_CRS names one to reproject to.

Reference: Anselin &amp; Rey (2014), Modern Spatial Econometrics in Practice (GeoDa weights files); libpysal.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Unit polygons (one feature per unit)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Queen contiguity (shared vertex)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Rook contiguity (shared edge)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>K nearest neighbours</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Distance band</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Kernel</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Neighbours (k-nearest; adaptive kernel)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Distance band (layer units, e.g. metres)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Kernel bandwidth (layer units; default adaptive to K)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Kernel function</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Triangular</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Uniform</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Quadratic</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Quartic</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Gaussian</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Reproject to this EPSG code before distance-based weights (e.g. 32650 for UTM zone 50N)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Weights transform</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Row-standardised</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Binary / as built</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Weights file</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Neighbour count per unit</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Global Moran's I per year</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Global Moran's I of a value for every year: I, its expectation E[I] = −1/(n−1), variance and z under normality, the analytic p-value and a permutation p-value (999 seeded permutations by default). With SECOND_FIELD: bivariate Moran's I of the value against the spatial lag of the second field (permutation inference only). Positive I: similar values cluster — the core–periphery pattern.

References: Moran (1950), Biometrika 37:17–23; Cliff &amp; Ord (1981), Spatial Processes; Wartenberg (1985), Geographical Analysis 17(4):263–283 (bivariate).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Unit polygons, one feature per unit (default: the input's geometry)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Value field</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Second field (bivariate: lag of this field)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Permutations</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>GeoDa weights file instead of building weights</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Local Moran's I (LISA) clusters</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Local Moran's I of a value for every unit and year, with conditional-permutation pseudo p-values (999 seeded permutations by default, each unit's own draws) and cluster labels at the chosen significance: HH (high among high), LL, LH, HL, NS (not significant) and ISOLATED (no neighbours). CORRECTION adjusts for testing every unit: false discovery rate (Benjamini–Hochberg) or Bonferroni, within each year. With SECOND_FIELD: bivariate LISA of the value against the spatial lag of the second field.

The output layer has one polygon per unit and year, styled with GeoDa's cluster colours; SCATTERPLOT draws the Moran scatterplot of the last year.

References: Anselin (1995), Geographical Analysis 27(2):93–115; Benjamini &amp; Hochberg (1995), JRSS B 57(1):289–300.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Years, comma separated (default all)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Significance level</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Multiple-testing correction</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>None</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>False discovery rate (Benjamini–Hochberg)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Bonferroni</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>LISA clusters</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Moran scatterplot</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Spatial Markov tier dynamics</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>How units move between tiers from one year to the next, conditioned on the tier of their neighbours (spatial Markov chain, giddy; Rey 2001): if a low unit surrounded by high neighbours rises more often than one surrounded by low ones, location matters — the direct test of a 'Matthew effect' or club convergence. Tiers come from a tier field (e.g. TIER from Coordination tiers) or from K quantile classes of a value field. TESTS gives giddy's tests of spatial dependence (Q, likelihood ratio, chi-square). METHOD 'lisa' gives the LISA Markov chain of Moran-scatterplot quadrants instead.

References: Rey (2001), Geographical Analysis 33(3):195–214; Bickenbach &amp; Bode (2003), International Regional Science Review 26(3):363–392 (tests of the Markov property and of spatial dependence).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Chain</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Spatial Markov of tiers or value classes</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>LISA Markov of scatterplot quadrants</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Tier field (discrete)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Value field (classed into K quantiles; LISA Markov)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Quantile classes of the value</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Transition probabilities</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Tests of spatial dependence</source>
      <translation type="unfinished" />
    </message>
  </context>
</TS>
