// The chart parts the feedback pages need beyond the shared set (lib/echarts.ts): scatter for the
// theme bubbles and significance markers, mark lines for targets and benchmarks. echarts.use is
// idempotent and global, so registering here keeps the shared file untouched.
import { ScatterChart } from 'echarts/charts';
import { MarkLineComponent } from 'echarts/components';
import { echarts } from '../../lib/echarts.ts';

echarts.use([ScatterChart, MarkLineComponent]);
