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

The WEIGHTS table gives e, d and w of every indicator.</source>
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

Each unit's first two years have no value (status 'first years'); a year whose two prior years are absent has status 'missing prior year'; a zero denominator (no patents in the two prior years) is left empty with status 'zero denominator' and listed in the log — never turned into 0 or infinity.</source>
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
      <source>Coupling degree C, comprehensive development index T and coupling coordination degree D = sqrt(C·T) of two or more system indices in [0, 1] for every row (unit-year), with the 10-level class of D and the level of C.

Classic: C = n·(∏Uᵢ / (ΣUᵢ)ⁿ)^(1/n). Revised (Wang Shujia et al., 2021, 自然资源学报 36(3):793–810): C = sqrt((1 − Σ_{i&gt;j}|Uᵢ−Uⱼ| / Σ_{m=1}^{n−1} m) · (∏Uᵢ / max U)^(1/(n−1))), which avoids the classic C crowding near 1. T = Σ aᵢUᵢ with the system weights (equal by default).

Rows where every system is 0 have no defined C: C and D are left empty and the rows are listed in the log.</source>
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
      <source>Patterns and inequality</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Sorts every unit-year into tiers of a value, normally the coupling coordination degree D: K-means per year (k = 3 gives the reference study's low / mid / high coordination), K-means pooled over all years, Jenks natural breaks, quantiles, or fixed classes. Tiers are ordered by centroid or interval: 0 is the lowest.

THRESHOLDS gives the value range (and K-means centroid) each tier covers, per year for per-year K-means. COUNTS gives the number of units per tier and year (the study's Table 3). GROUP_MEANS gives the mean value per group (e.g. urban agglomeration; per tier when no group field is given) and year, with an 'overall' row over all units (the study's Table 2).</source>
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

Computed by sorting and cumulative sums in O(n log n), so county or grid panels of millions of units work. Values must be non-negative and not all zero in a year.</source>
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
      <source>How much each indicator holds a unit back. Indicators are standardised in their direction, pooled over all years; deviation I_ij = 1 − x'_ij; factor contribution F_j = the indicator's weight (entropy weight by default, or the weights given); obstacle O_ij = F_j I_ij / Σ_j F_j I_ij × 100, so each row sums to 100. A subsystem's obstacle is the sum over its indicators.

OUTPUT adds O_&lt;indicator&gt; (and O_&lt;subsystem&gt;) in % and the top obstacles of each unit-year. SUMMARY gives the mean obstacle per group (normally the tier) and year, an 'average' row per group over the years, and the same for all units (the study's Table 8). A unit at the best value of every indicator has no deviation: its obstacles are left empty and it is listed in the log.</source>
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
  </context>
</TS>
